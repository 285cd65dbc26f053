// Package scraper crawls news sites and archives the articles it finds. It is
// the only newsvault package that imports colly, and it overrides colly's
// defaults on purpose:
//
//   - robots.txt is fetched and obeyed by the scraper itself (colly ignores it
//     by default, and its own support allows everything when robots.txt
//     answers 5xx);
//   - the charset is decided here, with [golang.org/x/net/html/charset], and
//     colly never transcodes a body, so the raw bytes can be archived;
//   - bodies are bounded after decompression, and a body over the limit is
//     refused instead of being silently truncated;
//   - politeness (per-host parallelism, delay, Crawl-delay, Retry-After) is
//     scheduled by the scraper, so a cancelled crawl stops at once instead of
//     sleeping a delay for every queued URL;
//   - nothing is read from the environment (colly's NewCollector reads
//     COLLY_* variables; the scraper initialises its collector without it).
//
// Besides links, a crawl finds articles in RSS, Atom and JSON feeds and in
// XML sitemaps (indexes, gzipped, Google News), fetched under the same
// politeness, robots.txt and body limits as pages. Given a [Known] archive
// it is incremental: conditional GETs, and no request at all for articles
// fetched within Config.Revisit or listed as unchanged since.
//
// A crawl keeps in memory only a window of a few dozen URLs per host; the
// URLs it has seen and the rest of its queues go to a [Frontier] (given as
// Config.Frontier; the archive's file in newsvault), so its memory does not
// grow with the site.
//
// [Crawl] runs one crawl; [DecodeHTML] is the charset decoding it uses,
// exported for pages read from files.
package scraper
