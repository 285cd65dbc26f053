package scraper

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The robots.txt, politeness and retry cases of RELIABILITY.md: T01-T08
// and the robots.txt part of T40. Every server is on 127.0.0.1.

func TestT01RobotsServerErrorsDisallow(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hang := func(w http.ResponseWriter, r *http.Request) {
		// Read the request, answer nothing for 5 s, then hang up.
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		select {
		case <-time.After(5 * time.Second):
		case <-release:
		}
	}
	cases := []struct {
		name   string
		robots http.HandlerFunc
	}{
		{"500", faultStatus(http.StatusInternalServerError)},
		{"503", faultStatus(http.StatusServiceUnavailable)},
		{"reset", faultReset},
		{"hang", hang},
	}
	var hosts []*faultHost
	var start []string
	for _, tc := range cases {
		h := newFaultHost(t, robotsThen(tc.robots, faultArticle))
		hosts = append(hosts, h)
		start = append(start, h.urls(faultPaths("/a/", 5)...)...)
	}
	var reps robotsReports
	cfg := faultConfig(t, hosts, start...)
	cfg.Timeout = 3 * time.Second
	cfg.OnRobots = reps.add
	begin := time.Now()
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	t.Logf("T01: crawl took %s; stats %s; err %v", time.Since(begin).Round(time.Millisecond), st, err)
	if err == nil {
		t.Error("no error from a crawl that could fetch nothing")
	}
	if st.RobotsDenied != len(start) || st.Fetched != 0 {
		t.Errorf("stats %s: want all %d URLs denied, none fetched", st, len(start))
	}
	for i, tc := range cases {
		h := hosts[i]
		rep := reps.only(t, h.host())
		n := h.count("/robots.txt")
		t.Logf("T01 %s: %d article requests, %d robots.txt attempts, state %s (%s)", tc.name, len(h.pages()), n, rep.Status, rep.Detail)
		if p := h.pages(); len(p) != 0 {
			t.Errorf("%s: article requests %q, want none", tc.name, p)
		}
		if n < 1 || n > 3 {
			t.Errorf("%s: %d robots.txt attempts, want 1 to 3", tc.name, n)
		}
		if rep.Status != RobotsUnreachable || !rep.Fetched {
			t.Errorf("%s: robots report %+v, want %s", tc.name, rep, RobotsUnreachable)
		}
	}
}

func TestT02Robots4xxAllows429Blocks(t *testing.T) {
	codes := []int{http.StatusNotFound, http.StatusForbidden, http.StatusGone, http.StatusTooManyRequests}
	var hosts []*faultHost
	var start []string
	for _, code := range codes {
		h := newFaultHost(t, robotsThen(faultStatus(code), faultArticle))
		hosts = append(hosts, h)
		start = append(start, h.urls(faultPaths("/a/", 10)...)...)
	}
	var reps robotsReports
	cfg := faultConfig(t, hosts, start...)
	cfg.OnRobots = reps.add
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	for i, code := range codes {
		h := hosts[i]
		want, wantStatus := 10, RobotsMissing
		if code == http.StatusTooManyRequests {
			want, wantStatus = 0, RobotsUnreachable
		}
		fetched := 0
		for _, p := range faultPaths("/a/", 10) {
			fetched += h.count(p)
		}
		rep := reps.only(t, h.host())
		t.Logf("T02 robots.txt %d: %d of 10 URLs fetched, state %s", code, fetched, rep.Status)
		if fetched != want || len(h.pages()) != want {
			t.Errorf("robots.txt %d: %d of 10 URLs fetched (requests %q), want %d", code, fetched, h.pages(), want)
		}
		if rep.Status != wantStatus {
			t.Errorf("robots.txt %d: state %s, want %s", code, rep.Status, wantStatus)
		}
	}
	if st.New != 30 || st.RobotsDenied != 10 {
		t.Errorf("stats %s; want 30 new, 10 robots-denied", st)
	}
}

func TestT03RobotsCache24h(t *testing.T) {
	var mu sync.Mutex
	down := false
	h := newFaultHost(t, robotsThen(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		robotsBody("User-agent: *\nDisallow: /private\n")(w, r)
	}, faultArticle))
	cache := &RobotsCache{}
	t0 := time.Date(2025, 3, 1, 6, 0, 0, 0, time.UTC)
	crawlAt := func(at time.Duration) RobotsReport {
		var reps robotsReports
		cfg := faultConfig(t, []*faultHost{h}, h.urls("/public", "/private")...)
		cfg.Robots = cache
		cfg.Now = func() time.Time { return t0.Add(at) }
		cfg.OnRobots = reps.add
		if st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{}); err != nil {
			t.Fatalf("crawl at t+%s: %v (%s)", at, err, st)
		}
		return reps.only(t, h.host())
	}

	crawlAt(0)
	if n := h.count("/robots.txt"); n != 1 {
		t.Fatalf("robots.txt fetched %d times by the first crawl", n)
	}
	rep := crawlAt(23*time.Hour + 59*time.Minute)
	refetches := h.count("/robots.txt") - 1
	t.Logf("T03 t+23h59m: %d refetches (state %s, fetched %v)", refetches, rep.Status, rep.Fetched)
	if refetches != 0 || rep.Fetched || rep.Status != RobotsOK || !rep.FetchedAt.Equal(t0) {
		t.Errorf("t+23h59m: %d refetches, report %+v; want 0 and the rules of t0", refetches, rep)
	}

	mu.Lock()
	down = true
	mu.Unlock()
	rep = crawlAt(24*time.Hour + time.Minute)
	refetches = h.count("/robots.txt") - 1
	t.Logf("T03 t+24h01m: %d refetches (state %s: %s); /private requested %d times", refetches, rep.Status, rep.Detail, h.count("/private"))
	if refetches != 1 {
		t.Errorf("t+24h01m: %d refetches, want 1", refetches)
	}
	if rep.Status != RobotsStale || !rep.FetchedAt.Equal(t0) {
		t.Errorf("t+24h01m: report %+v; want the last good rules, stale", rep)
	}
	if n := h.count("/private"); n != 0 {
		t.Errorf("/private requested %d times; the last good rules deny it", n)
	}
	if n := h.count("/public"); n != 3 {
		t.Errorf("/public requested %d times in 3 crawls", n)
	}
}

func TestT04RobotsParseTolerantAndBounded(t *testing.T) {
	t.Run("invalid line", testT04InvalidLine)
	t.Run("100MiB", testT04Huge)
}

func testT04InvalidLine(t *testing.T) {
	for _, bad := range []string{
		"Disallow /nocolon",
		"Allow",
		"Disallow: /before-any-agent",
		"Crawl-delay: soon",
		"Crawl-delay: -1",
		"just some words here",
		": no key",
		"Disallow : /spaced",
		"\xff\xfe\x00binary\x00",
		"Disallow: /" + strings.Repeat("*a", 20000),
		"User-agent:",
		"Sitemap:",
	} {
		t.Run(fmt.Sprintf("%.24q", bad), func(t *testing.T) {
			h := newFaultHost(t, robotsThen(robotsBody(bad+"\nUser-agent: *\nDisallow: /private\n"), faultArticle))
			public, private := faultPaths("/public/", 10), faultPaths("/private/", 10)
			cfg := faultConfig(t, []*faultHost{h}, h.urls(append(public, private...)...)...)
			st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
			if err != nil {
				t.Fatalf("Crawl: %v (%s)", err, st)
			}
			for _, p := range public {
				if n := h.count(p); n != 1 {
					t.Errorf("%s requested %d times, want 1", p, n)
				}
			}
			for _, p := range private {
				if n := h.count(p); n != 0 {
					t.Errorf("%s requested %d times, want 0", p, n)
				}
			}
			if n := h.count("/robots.txt"); n != 1 {
				t.Errorf("robots.txt fetched %d times for 20 URLs", n)
			}
		})
	}
}

// t04Env names the server a T04 child crawls; set only in the child.
const t04Env = "NEWSVAULT_T04_ROBOTS_ADDR"

// t04Result is what the T04 child reports on stdout.
type t04Result struct {
	RobotsRead  int64 // robots.txt body bytes the crawler read
	HWMGrowth   int64 // VmHWM after the crawl minus VmHWM at start
	TotalAlloc  uint64
	Private     int // private URLs fetched
	RobotsState RobotsStatus
}

// testT04Huge crawls, in a child process so its VmHWM is its own, a host
// whose robots.txt is 100 MiB of valid rules generated on the fly.
func testT04Huge(t *testing.T) {
	const size = 100 << 20
	head := "User-agent: *\nDisallow: /private\n"
	line := "Disallow: /archive/0000000000/\n"
	chunk := []byte(strings.Repeat(line, 32<<10/len(line)))
	var written int64
	var mu sync.Mutex
	h := newFaultHost(t, robotsThen(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", fmt.Sprint(size))
		n, _ := w.Write([]byte(head))
		total := int64(n)
		for total < size {
			n, err := w.Write(chunk[:min(int64(len(chunk)), size-total)])
			total += int64(n)
			if err != nil {
				break
			}
		}
		mu.Lock()
		written = total
		mu.Unlock()
	}, faultArticle))
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestT04RobotsChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), t04Env+"="+h.addr())
	cmd.Stderr = t.Output()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var res t04Result
	for l := range strings.Lines(string(out)) {
		if js, ok := strings.CutPrefix(l, "T04RESULT "); ok {
			if err := json.Unmarshal([]byte(js), &res); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.srv.Close() // waits for the generator to stop
	t.Logf("T04b: robots.txt read %d B (server wrote %d B of %d), child VmHWM growth %.1f MiB, allocated %.1f MiB, state %s, /private fetched %d",
		res.RobotsRead, written, size, float64(res.HWMGrowth)/(1<<20), float64(res.TotalAlloc)/(1<<20), res.RobotsState, res.Private)
	if res.RobotsState != RobotsOK || res.Private != 0 {
		t.Errorf("state %s, /private fetched %d times; want the first rules to apply", res.RobotsState, res.Private)
	}
	if res.RobotsRead == 0 || res.RobotsRead > maxRobotsBytes {
		t.Errorf("read %d bytes of robots.txt, want 1 to %d", res.RobotsRead, maxRobotsBytes)
	}
	if res.HWMGrowth >= 16<<20 {
		t.Errorf("VmHWM grew %d bytes, want < 16 MiB", res.HWMGrowth)
	}
}

// TestT04RobotsChild is the child process of T04's 100 MiB case.
func TestT04RobotsChild(t *testing.T) {
	addr := os.Getenv(t04Env)
	if addr == "" {
		t.Skip("run by TestT04RobotsParseTolerantAndBounded")
	}
	base, err := procPeakRSS()
	if err != nil {
		t.Fatal(err)
	}
	counter := &bodyCounter{base: dialOnly(t, addr), path: "/robots.txt"}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var state RobotsStatus
	cfg := Config{
		StartURLs: []string{"http://" + addr + "/public", "http://" + addr + "/private"},
		Timeout:   10 * time.Second,
		Transport: counter,
		OnRobots:  func(r RobotsReport) { state = r.Status },
	}
	rec := &recorder{}
	st, err := Crawl(t.Context(), cfg, testExtractor{}, rec)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	runtime.ReadMemStats(&ms1)
	peak, err := procPeakRSS()
	if err != nil {
		t.Fatal(err)
	}
	private := 0
	for _, p := range rec.pages() {
		if strings.HasSuffix(p.c.URL, "/private") {
			private++
		}
	}
	js, _ := json.Marshal(t04Result{
		RobotsRead:  counter.n.Load(),
		HWMGrowth:   peak - base,
		TotalAlloc:  ms1.TotalAlloc - ms0.TotalAlloc,
		Private:     private,
		RobotsState: state,
	})
	fmt.Printf("T04RESULT %s\n", js)
}

func TestT05RobotsRedirect5Hops(t *testing.T) {
	for _, tc := range []struct {
		hops        int
		wantPrivate int
		wantStatus  RobotsStatus
	}{
		{5, 0, RobotsOK},
		{6, 1, RobotsMissing},
	} {
		t.Run(fmt.Sprintf("%d hops", tc.hops), func(t *testing.T) {
			// robots.txt on a redirects to b, back to a, and so on: hop n
			// is served by /hop/n on alternate hosts, the rules at the end.
			var a, b *faultHost
			hop := func(self func() *faultHost, other func() *faultHost) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					n := 0
					if r.URL.Path != "/robots.txt" {
						if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err != nil {
							faultArticle(w, r)
							return
						}
					}
					if n == tc.hops {
						robotsBody("User-agent: *\nDisallow: /private\n")(w, r)
						return
					}
					http.Redirect(w, r, other().url(fmt.Sprintf("/hop/%d", n+1)), http.StatusFound)
				}
			}
			a = newFaultHost(t, hop(func() *faultHost { return a }, func() *faultHost { return b }))
			b = newFaultHost(t, hop(func() *faultHost { return b }, func() *faultHost { return a }))
			var reps robotsReports
			cfg := faultConfig(t, []*faultHost{a, b}, a.urls("/public", "/private")...)
			cfg.OnRobots = reps.add
			st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
			if err != nil {
				t.Fatalf("Crawl: %v (%s)", err, st)
			}
			rep := reps.only(t, a.host())
			hops := len(a.pages()) + len(b.pages()) - a.count("/public") - a.count("/private")
			t.Logf("T05 %d hops: %d redirects followed, /private requested %d times, state %s (%s)", tc.hops, hops, a.count("/private"), rep.Status, rep.Detail)
			if n := a.count("/private"); n != tc.wantPrivate {
				t.Errorf("/private requested %d times, want %d", n, tc.wantPrivate)
			}
			if n := a.count("/public"); n != 1 {
				t.Errorf("/public requested %d times, want 1", n)
			}
			if rep.Status != tc.wantStatus {
				t.Errorf("state %s, want %s", rep.Status, tc.wantStatus)
			}
			if hops > maxRobotsRedirects {
				t.Errorf("%d redirects followed, want at most %d", hops, maxRobotsRedirects)
			}
		})
	}
}

func TestT06PerHostSpacingAndCrawlDelay(t *testing.T) {
	if testing.Short() {
		t.Skip("T06 takes 18 s of real time")
	}
	slow := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond) // a request in flight long enough to overlap another
		faultArticle(w, r)
	}
	a := newFaultHost(t, robotsThen(robotsBody("User-agent: *\nCrawl-delay: 2\n"), slow))
	b := newFaultHost(t, robotsThen(robotsBody("User-agent: *\nCrawl-delay: 600\n"), slow))
	c := newFaultHost(t, robotsThen(robotsBody("User-agent: *\nCrawl-delay: 301\n"), slow))
	start := a.urls(faultPaths("/a/", 10)...)
	start = append(start, b.urls(faultPaths("/b/", 10)...)...)
	start = append(start, c.urls(faultPaths("/c/", 10)...)...)
	var logs syncBuffer
	var reps robotsReports
	cfg := faultConfig(t, []*faultHost{a, b, c}, start...)
	cfg.Delay = time.Second // the config floor
	cfg.Parallel = 4        // Crawl-delay brings it down to 1
	cfg.Logger = logs.logger()
	cfg.OnRobots = reps.add
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	g := faultGaps(a.pageStarts())
	minGap := time.Duration(1 << 62)
	for _, d := range g {
		minGap = min(minGap, d)
	}
	t.Logf("T06 host A: %d requests, min gap %s, gaps %v, max in flight %d; host B: %d requests; host C: %d requests; stats %s",
		len(a.pages()), minGap.Round(time.Millisecond), g, a.peakInFlight(), len(b.pages()), len(c.pages()), st)
	if len(g) != 9 {
		t.Errorf("host A: %d gaps, want 9 (requests %q)", len(g), a.pages())
	}
	for i, d := range g {
		if d < 1900*time.Millisecond {
			t.Errorf("host A gap %d: %s, want >= 1.9s", i+1, d)
		}
	}
	if n := a.peakInFlight(); n != 1 {
		t.Errorf("host A had %d requests in flight, want 1", n)
	}
	for _, h := range []*faultHost{b, c} {
		if p := h.pages(); len(p) != 0 {
			t.Errorf("host with Crawl-delay over the cap fetched %q", p)
		}
		if rep := reps.only(t, h.host()); !rep.Deferred {
			t.Errorf("robots report %+v, want deferred", rep)
		}
		if !strings.Contains(logs.String(), "host="+h.host()) || !strings.Contains(logs.String(), "crawl-delay over the cap") {
			t.Errorf("deferral of %s not logged", h.host())
		}
	}
	if st.Deferred != 20 || st.New != 10 {
		t.Errorf("stats %s; want 10 new, 20 deferred", st)
	}
	if rep := reps.only(t, a.host()); rep.CrawlDelay != 2*time.Second || rep.Deferred {
		t.Errorf("host A report %+v", rep)
	}
}

func TestT07RetryAfter429And503(t *testing.T) {
	// Each host: /a answers first with its fault, /b is a plain page
	// queued after it; one request at a time, so every request after the
	// fault is a "next request to that host".
	type retryHost struct {
		name   string
		fault  func(w http.ResponseWriter, n int) bool // answers attempt n (1-based) of /a; false = serve the page
		wait   time.Duration                           // least time from a fault to the next request
		tries  int                                     // attempts of /a
		faults int                                     // faulty answers
	}
	hosts := []retryHost{
		{name: "429 Retry-After 3", wait: 3 * time.Second, tries: 2, faults: 1,
			fault: func(w http.ResponseWriter, n int) bool {
				if n > 1 {
					return false
				}
				w.Header().Set("Retry-After", "3")
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}},
		{name: "503 Retry-After date +2s", wait: 2 * time.Second, tries: 2, faults: 1,
			fault: func(w http.ResponseWriter, n int) bool {
				if n > 1 {
					return false
				}
				// HTTP dates have whole seconds: round up, so the date is
				// at least 2 s away.
				at := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
				w.Header().Set("Retry-After", at.UTC().Format(http.TimeFormat))
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}},
		{name: "429 Retry-After 1 always", wait: time.Second, tries: 3, faults: 3,
			fault: func(w http.ResponseWriter, n int) bool {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}},
		{name: "429 Retry-After 86400", tries: 1, faults: 1,
			fault: func(w http.ResponseWriter, n int) bool {
				w.Header().Set("Retry-After", "86400")
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}},
	}
	type faultLog struct {
		mu     sync.Mutex
		n      int
		faults []time.Time // when each fault was answered
	}
	logs := make([]*faultLog, len(hosts))
	var servers []*faultHost
	var start []string
	for i, rh := range hosts {
		fl := &faultLog{}
		logs[i] = fl
		h := newFaultHost(t, robotsThen(faultStatus(http.StatusNotFound), func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				fl.mu.Lock()
				fl.n++
				n := fl.n
				fl.mu.Unlock()
				if rh.fault(w, n) {
					fl.mu.Lock()
					fl.faults = append(fl.faults, time.Now())
					fl.mu.Unlock()
					return
				}
			}
			faultArticle(w, r)
		}))
		servers = append(servers, h)
		start = append(start, h.urls("/a", "/b")...)
	}
	cfg := faultConfig(t, servers, start...)
	cfg.Parallel = 1
	begin := time.Now()
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	took := time.Since(begin)
	if err != nil {
		t.Fatalf("Crawl: %v (%s)", err, st)
	}
	t.Logf("T07: crawl took %s; stats %s", took.Round(time.Millisecond), st)
	if took > 10*time.Second {
		t.Errorf("crawl took %s: a Retry-After was slept", took)
	}
	for i, rh := range hosts {
		h, fl := servers[i], logs[i]
		fl.mu.Lock()
		faults := fl.faults
		fl.mu.Unlock()
		if n := h.count("/a"); n != rh.tries || len(faults) != rh.faults {
			t.Errorf("%s: /a requested %d times with %d faults, want %d and %d", rh.name, n, len(faults), rh.tries, rh.faults)
		}
		starts := h.pageStarts()
		var waits []time.Duration
		for _, f := range faults {
			for _, s := range starts {
				if s.After(f) {
					waits = append(waits, s.Sub(f))
					break
				}
			}
		}
		t.Logf("T07 %s: %d requests to /a, waits after each fault %v", rh.name, h.count("/a"), waits)
		if rh.wait == 0 { // deferred
			if p := h.pages(); len(p) != 1 {
				t.Errorf("%s: requests %q; want /a once, then the host deferred", rh.name, p)
			}
			continue
		}
		if len(waits) != len(faults) {
			t.Errorf("%s: %d faults but %d requests after them", rh.name, len(faults), len(waits))
		}
		for _, w := range waits {
			if w < rh.wait {
				t.Errorf("%s: next request %s after the fault, want >= %s", rh.name, w, rh.wait)
			}
		}
	}
	if st.Deferred != 2 || st.Failed != 1 || st.New != 5 {
		t.Errorf("stats %s; want 5 new, 1 failed, 2 deferred", st)
	}
}

func TestT08RetryBudget(t *testing.T) {
	cases := []struct {
		path  string
		serve http.HandlerFunc
		tries int
	}{
		{"/500", faultStatus(500), 3},
		{"/502", faultStatus(502), 3},
		{"/503", faultStatus(503), 3},
		{"/504", faultStatus(504), 3},
		{"/408", faultStatus(408), 3},
		{"/522", faultStatus(522), 3},
		{"/524", faultStatus(524), 3},
		{"/reset", faultReset, 3},
		{"/404", faultStatus(404), 1},
		{"/403", faultStatus(403), 1},
	}
	routes := make(map[string]http.HandlerFunc)
	var start []string
	for _, tc := range cases {
		routes[tc.path] = tc.serve
		start = append(start, tc.path)
	}
	h := newFaultHost(t, func(w http.ResponseWriter, r *http.Request) {
		if serve, ok := routes[r.URL.Path]; ok {
			serve(w, r)
			return
		}
		faultArticle(w, r)
	})
	cfg := faultConfig(t, []*faultHost{h}, h.urls(start...)...)
	cfg.Parallel = 4
	begin := time.Now()
	st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{})
	took := time.Since(begin)
	if err == nil {
		t.Error("no error from a crawl where every page failed")
	}
	t.Logf("T08: crawl took %s; stats %s", took.Round(time.Millisecond), st)
	retryable := 0
	for _, tc := range cases {
		starts := h.starts(tc.path)
		g := faultGaps(starts)
		t.Logf("T08 %s: %d attempts, backoffs %v", tc.path, len(starts), g)
		if len(starts) != tc.tries {
			t.Errorf("%s: %d attempts, want %d", tc.path, len(starts), tc.tries)
		}
		for _, d := range g {
			if d < defaultBackoff {
				t.Errorf("%s: retried after %s, want >= %s", tc.path, d, defaultBackoff)
			}
		}
		if tc.tries > 1 {
			retryable++
		}
	}
	if st.Failed != len(cases) || st.Retries != 2*retryable {
		t.Errorf("stats %s; want %d failed, %d retries", st, len(cases), 2*retryable)
	}
}

// TestT40RobotsCatchUpRefetchOncePerHost is the robots.txt part of T40:
// back-to-back runs sharing a RobotsCache ask for robots.txt once, and a
// run 24 h later (fake time) asks each host exactly once more. The late
// run is two crawls at once, one per host, on the one cache.
func TestT40RobotsCatchUpRefetchOncePerHost(t *testing.T) {
	hosts := []*faultHost{
		newFaultHost(t, robotsThen(robotsBody("User-agent: *\nDisallow: /private\n"), faultArticle)),
		newFaultHost(t, robotsThen(robotsBody("User-agent: *\nAllow: /\n"), faultArticle)),
	}
	cache := &RobotsCache{}
	t0 := time.Date(2025, 3, 1, 6, 0, 0, 0, time.UTC)
	run := func(at time.Duration, hs ...*faultHost) {
		var wg sync.WaitGroup
		for _, h := range hs {
			wg.Go(func() {
				cfg := faultConfig(t, hosts, h.urls("/a", "/b")...)
				cfg.Robots = cache
				cfg.Now = func() time.Time { return t0.Add(at) }
				if st, err := Crawl(t.Context(), cfg, testExtractor{}, &recorder{}); err != nil {
					t.Errorf("crawl at t+%s: %v (%s)", at, err, st)
				}
			})
		}
		wg.Wait()
	}
	robots := func() (n []int) {
		for _, h := range hosts {
			n = append(n, h.count("/robots.txt"))
		}
		return n
	}
	run(0, hosts...)
	run(10*time.Minute, hosts...)
	afterCatchUp := robots()
	run(24*time.Hour, hosts...)
	run(24*time.Hour+time.Hour, hosts...)
	final := robots()
	t.Logf("T40 robots.txt requests per host: %v after the run and its catch-up, %v after the runs 24 h later", afterCatchUp, final)
	for i := range hosts {
		if afterCatchUp[i] != 1 || final[i] != 2 {
			t.Errorf("host %d: robots.txt requested %d times by the first two runs, %d in all; want 1 and 2", i, afterCatchUp[i], final[i])
		}
	}
}
