package scraper

import (
	"errors"
	"fmt"
)

// Reason names how the crawl dealt with one URL. Logs carry it as the
// "reason" attribute (its String), Stats.Reasons counts it, and
// Config.OnOutcome receives it.
type Reason int

// The reasons a URL ends with. Every requested URL also counts in one of
// Stats' New/Updated/Unchanged/NotModified/Skipped/Failed; URLs with
// ReasonSchemeBlocked were never requested.
const (
	ReasonOK                 Reason = iota // article saved (new, updated or unchanged)
	ReasonNotModified                      // 304 to a conditional request
	ReasonNoArticle                        // parsed, but not an article, or too thin to be one
	ReasonSkippedContentType               // not HTML, by header or by sniffing: aborted after at most 512 bytes
	ReasonTooLarge                         // the body, after decompression, is over MaxBody: refused, never truncated
	ReasonParseFailed                      // undecodable, or past the DOM limits; the raw body goes to OnOutcome
	ReasonSchemeBlocked                    // a start URL, link or redirect that is not http or https
	ReasonAddressBlocked                   // the host resolves to a special-purpose address that is not allowed
	ReasonRedirectRefused                  // a redirect off the crawl's sites or to a page already queued
	ReasonFetchFailed                      // network error, bad status, truncated body, redirect loop (after retries)
	ReasonSaveFailed                       // the archive refused the article
	NumReasons                             // the number of reasons, for Stats.Reasons
)

var reasonNames = [NumReasons]string{
	"ok", "not_modified", "no_article", "skipped_content_type", "too_large", "parse_failed",
	"scheme_blocked", "address_blocked", "redirect_refused", "fetch_failed", "save_failed",
}

// String is the reason's name in logs and test plans, e.g. "too_large".
func (r Reason) String() string {
	if r < 0 || r >= NumReasons {
		return fmt.Sprintf("reason(%d)", int(r))
	}
	return reasonNames[r]
}

// URLOutcome is the fate of one URL, reported to Config.OnOutcome.
type URLOutcome struct {
	URL    string // as requested (or as written, for a blocked URL)
	Reason Reason
	Status int // HTTP status of the last attempt; 0 when there was no response
	// Err says why, for failures and skips (nil for ReasonOK and
	// ReasonNotModified). Its text, like URL, is redacted of Config's
	// secrets.
	Err error
	// Body is the raw body, as received, of a ReasonParseFailed page, and
	// of a ReasonNoArticle page that was taken for an article but gave too
	// little text (a cookie wall, a paywall stub, a soft 404), so it can be
	// kept and looked at or parsed again by a later release; nil otherwise,
	// and nil when it holds one of Config's secrets (a server echoing a
	// cookie back), since a body cannot be redacted and stay raw.
	Body []byte
}

// reasonOf classifies a fetch error.
func reasonOf(err error) Reason {
	switch {
	case errors.Is(err, errTooLarge):
		return ReasonTooLarge
	case errors.Is(err, errSchemeBlocked):
		return ReasonSchemeBlocked
	case errors.Is(err, errAddressBlocked):
		return ReasonAddressBlocked
	case errors.Is(err, errOffsite), errors.Is(err, errAlreadyQueued):
		return ReasonRedirectRefused
	}
	return ReasonFetchFailed
}

// outcome counts o.Reason and hands o to Config.OnOutcome. OnOutcome calls
// are serialised by c.outMu; c.mu must not be held.
func (c *crawler) outcome(o URLOutcome) {
	if o.Err != nil {
		o.Err = c.secrets.wrapErr(o.Err)
	}
	// A redirect can put a secret into a URL (a server that echoes a
	// token into the Location it sends).
	o.URL = c.secrets.redact(o.URL)
	if o.Body != nil && c.secrets.inBody(o.Body) {
		o.Body = nil
	}
	c.mu.Lock()
	c.stats.Reasons[o.Reason]++
	c.mu.Unlock()
	if c.cfg.OnOutcome != nil {
		c.outMu.Lock()
		c.cfg.OnOutcome(o)
		c.outMu.Unlock()
	}
}
