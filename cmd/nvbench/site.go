package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// perIndex is how many articles one index page links to.
const perIndex = 100

// site is the generated news site: articles numbered 0..n-1, index pages
// of perIndex articles each, a home page linking every index page.
type site struct {
	n            int
	latency      time.Duration
	minKB, maxKB int
	served       atomic.Int64
	bytes        atomic.Int64
}

func (s *site) indexes() int { return (s.n + perIndex - 1) / perIndex }

// articlePath is dated, as news URLs are; the date also helps the generic
// extractor tell an article from a section page.
func articlePath(i int) string {
	d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
	return fmt.Sprintf("/news/%s/story-%d.html", d.Format("2006/01/02"), i)
}

func indexPath(k int) string { return fmt.Sprintf("/section/page-%d/", k) }

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.latency > 0 {
		// A timer, not a busy loop: the site must not eat the crawler's CPU.
		t := time.NewTimer(s.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	var body string
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		body = "User-agent: *\nAllow: /\n"
	case p == "/":
		body = s.home()
	case strings.HasPrefix(p, "/section/page-"):
		k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/section/page-"), "/"))
		if err != nil || k < 0 || k >= s.indexes() || indexPath(k) != p {
			http.NotFound(w, r)
			return
		}
		body = s.index(k)
	case strings.HasPrefix(p, "/news/"):
		i, err := strconv.Atoi(strings.TrimSuffix(p[strings.LastIndex(p, "-")+1:], ".html"))
		if err != nil || i < 0 || i >= s.n || articlePath(i) != p {
			http.NotFound(w, r)
			return
		}
		body = s.article(i)
	default:
		http.NotFound(w, r)
		return
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	n, _ := w.Write([]byte(body))
	s.served.Add(1)
	s.bytes.Add(int64(n))
}

func (s *site) home() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Loopback News</title></head><body><header><h1>Loopback News</h1></header><ul class="sections">`)
	for k := range s.indexes() {
		fmt.Fprintf(&b, `<li><a href="%s">Section page %d</a></li>`, indexPath(k), k+1)
	}
	b.WriteString(`</ul></body></html>`)
	return b.String()
}

func (s *site) index(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Latest news, page %d - Loopback News</title></head><body><header><a href="/">Loopback News</a></header><main><h1>Latest news</h1><ul class="news-list">`, k+1)
	for i := k * perIndex; i < min((k+1)*perIndex, s.n); i++ {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, articlePath(i), title(r))
	}
	b.WriteString(`</ul></main></body></html>`)
	return b.String()
}

var words = strings.Fields(`the a council minister government city region president report
officials said on tuesday wednesday thursday budget year plan new police court
election vote parliament local residents market prices energy water school
hospital workers union strike agreement talks border trade export import
company shares bank rate inflation growth quarter figures data survey
according to statement spokesman announced would could should have has been
after before during while because although despite amid against between
river bridge road railway airport port harbour weather storm flood heat
festival museum theatre film music team match season coach player goal
victory defeat league cup final record crowd stadium fans ticket
science research university study scientists climate forest wildlife
farmers harvest grain wheat fuel gas oil pipeline electricity grid
district mayor governor committee hearing inquiry investigation evidence
witness judge sentence appeal ruling law bill reform tax pension health
of in for with by from at about over under into through across`)

func phrase(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = words[r.IntN(len(words))]
	}
	return out
}

func title(r *rand.Rand) string {
	w := phrase(r, 6+r.IntN(6))
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ")
}

// paragraph appends sentences to b until it holds about size bytes more.
func paragraph(b *strings.Builder, r *rand.Rand, size int) {
	start := b.Len()
	b.WriteString("<p>")
	for b.Len()-start < size {
		w := phrase(r, 8+r.IntN(14))
		w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
		b.WriteString(strings.Join(w, " "))
		b.WriteString(". ")
	}
	b.WriteString("</p>\n")
}

const boilerStyle = `<style>body{font-family:Georgia,serif;margin:0}header,footer{background:#123;color:#fff;padding:1em}
.share a{display:inline-block;margin:0 .3em}.rating span{cursor:pointer;color:#fa0}.related li{margin:.2em 0}
nav ul{list-style:none;display:flex;gap:1em}.breadcrumbs{font-size:.8em}article p{line-height:1.6;max-width:40em}</style>`

const boilerScript = `<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());
(function(){var s=document.querySelectorAll('.rating span');for(var i=0;i<s.length;i++){s[i].onclick=function(){this.parentNode.dataset.v=this.dataset.v}}})();</script>`

// article builds page i: 40-80 KB (s.minKB-s.maxKB), deterministic, and
// different from every other page.
func (s *site) article(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	t := title(r) // the same title the index page shows
	target := (s.minKB + r.IntN(s.maxKB-s.minKB+1)) * 1024
	d := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Add(time.Duration(r.IntN(600)) * time.Minute)
	author := strings.Title(strings.Join(phrase(r, 2), " ")) //nolint:staticcheck // ASCII words only
	var b strings.Builder
	b.Grow(target + 4096)
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s - Loopback News</title>
<meta property="og:type" content="article"><meta property="og:title" content="%s"><meta name="author" content="%s">
<meta property="article:published_time" content="%s"><link rel="canonical" href="%s">%s
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"author":{"@type":"Person","name":%q}}</script>
</head><body>`, t, t, author, d.Format(time.RFC3339), articlePath(i), boilerStyle, t, d.Format(time.RFC3339), author)
	b.WriteString(`<header><a href="/" class="logo">Loopback News</a><nav><ul>`)
	for k := range min(8, s.indexes()) {
		fmt.Fprintf(&b, `<li><a href="%s">Section %d</a></li>`, indexPath(k), k+1)
	}
	fmt.Fprintf(&b, `</ul></nav></header><div class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="%s">News</a> &rsaquo; %s</div>`, indexPath(i/perIndex), t)
	fmt.Fprintf(&b, `<main><article><h1>%s</h1><div class="byline">By <span class="author">%s</span>, <time datetime="%s">%s</time></div>`, t, author, d.Format(time.RFC3339), d.Format("2 January 2006 15:04"))
	b.WriteString(`<div class="rating">Rate this article: <span data-v="1">&#9733;</span><span data-v="2">&#9733;</span><span data-v="3">&#9733;</span><span data-v="4">&#9733;</span><span data-v="5">&#9733;</span></div>`)
	b.WriteString(`<div class="share">Share: <a href="https://facebook.example/share">Facebook</a><a href="https://x.example/share">X</a><a href="https://t.example/share">Telegram</a><a href="mailto:?subject=news">Email</a></div>`)
	tail := s.tail(r, i)
	paras := 6 + r.IntN(15)
	prose := max(target-b.Len()-len(tail)-len(boilerScript), paras*200)
	for range paras {
		paragraph(&b, r, prose/paras)
	}
	b.WriteString(`<div class="share">Share: <a href="https://facebook.example/share">Facebook</a><a href="https://x.example/share">X</a></div>`)
	b.WriteString(`</article>`)
	b.WriteString(tail)
	b.WriteString(boilerScript)
	b.WriteString(`</body></html>`)
	return b.String()
}

// tail is what follows the article: related links, comments prompt, footer.
func (s *site) tail(r *rand.Rand, i int) string {
	var b strings.Builder
	b.WriteString(`<aside class="related"><h2>Related</h2><ul>`)
	for range 8 {
		j := r.IntN(s.n)
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, articlePath(j), strings.Join(phrase(r, 7), " "))
	}
	b.WriteString(`</ul></aside><div class="comments">Comments are open. <a href="#login">Log in</a> to join the discussion.</div></main>`)
	b.WriteString(`<footer><p>&copy; 2026 Loopback News. All rights reserved.</p><ul><li><a href="/">Home</a></li><li><a href="mailto:desk@loopback.example">Contact</a></li></ul><p>Found a typo? Select it and press Ctrl+Enter.</p></footer>`)
	return b.String()
}

// serveSite runs the site until stdin closes, having printed its base URL,
// then prints its own usage on stdout.
func serveSite(s *site) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	before := rusage()
	fmt.Printf("http://%s/\n", ln.Addr())
	// The parent closes our stdin when it is done with the site.
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
	}
	srv.Close()
	return emit(result{Pages: int(s.served.Load()), Bytes: s.bytes.Load(), CPU: rusage() - before, PeakRSS: peakRSS()})
}
