package scraper

// Version is newsvault's release version, reported by `newsvault version`.
// Release builds set it with -ldflags "-X".
var Version = "0.1.0-dev"

// DefaultUserAgent names newsvault, its version and where to learn about it,
// so site operators can identify the crawler and find whom to contact.
const DefaultUserAgent = "newsvault/0.1 (+https://github.com/newsvault/newsvault)"

// robotsAgent is the product token matched against robots.txt user-agent
// lines, before the "*" group.
const robotsAgent = "newsvault"
