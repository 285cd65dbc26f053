package main

import (
	"bufio"
	"encoding/base64"
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

// The article page is shaped like the pages of the zyte benchmark
// (../shared/benchmark/zyte, 181 real news pages): there the article's text
// is a median 2.9% of the HTML (quartiles 1.5-5.0%) and zstd compresses a
// page about 4.8x. Most of a real page is markup around the article: menus,
// teaser cards with responsive images, ad slots, inline state and scripts,
// SVG icons, a footer of links. A page here carries 2-8 KB of prose and
// fills the rest of its 40-80 KB with those.

// pageStyle is the inline CSS of every page, as sites inline their critical CSS.
var pageStyle = func() string {
	var b strings.Builder
	b.WriteString(`<style>`)
	for _, c := range []string{"header", "nav", "card", "teaser", "footer", "share", "rating", "related", "ad-slot", "newsletter", "byline", "breadcrumbs"} {
		fmt.Fprintf(&b, `.%[1]s{display:flex;flex-wrap:wrap;margin:0 auto;padding:.5rem 1rem;max-width:1280px}.%[1]s__title{font:700 1.125rem/1.3 "Source Serif",Georgia,serif;color:#111}.%[1]s__meta{font-size:.8125rem;color:#6b6b6b;text-transform:uppercase;letter-spacing:.04em}.%[1]s--large .%[1]s__title{font-size:1.75rem}@media (min-width:768px){.%[1]s{padding:1rem 2rem}.%[1]s__title{font-size:1.25rem}}
`, c)
	}
	b.WriteString(`</style>`)
	return b.String()
}()

const pageScripts = `<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-LOOPBACK01',{anonymize_ip:true});
(function(){var s=document.querySelectorAll('.rating span');for(var i=0;i<s.length;i++){s[i].onclick=function(){this.parentNode.dataset.v=this.dataset.v}}})();</script>
<script async src="/static/js/vendor.4f1c2a9e.js"></script><script async src="/static/js/app.b7d03e51.js"></script>
<script>window.googletag=window.googletag||{cmd:[]};googletag.cmd.push(function(){googletag.pubads().enableSingleRequest();googletag.pubads().collapseEmptyDivs();googletag.enableServices()});</script>`

const iconShare = `<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M18 16.08c-.76 0-1.44.3-1.96.77L8.91 12.7c.05-.23.09-.46.09-.7s-.04-.47-.09-.7l7.05-4.11c.54.5 1.25.81 2.04.81 1.66 0 3-1.34 3-3s-1.34-3-3-3-3 1.34-3 3c0 .24.04.47.09.7L8.04 9.81C7.5 9.31 6.79 9 6 9c-1.66 0-3 1.34-3 3s1.34 3 3 3c.79 0 1.5-.31 2.04-.81l7.12 4.16c-.05.21-.08.43-.08.65 0 1.61 1.31 2.92 2.92 2.92s2.92-1.31 2.92-2.92-1.31-2.92-2.92-2.92z"/></svg>`

// article builds page i: 40-80 KB (s.minKB-s.maxKB), deterministic, and
// different from every other page.
func (s *site) article(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	t := title(r) // the same title the index page shows
	target := (s.minKB + r.IntN(s.maxKB-s.minKB+1)) * 1024
	d := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Add(time.Duration(r.IntN(600)) * time.Minute)
	author := strings.Title(strings.Join(phrase(r, 2), " ")) //nolint:staticcheck // ASCII words only
	var b strings.Builder
	b.Grow(target + 8192)
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s - Loopback News</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:type" content="article"><meta property="og:title" content="%s"><meta property="og:image" content="/img/%d/1200x630.jpg"><meta name="twitter:card" content="summary_large_image"><meta name="author" content="%s">
<meta property="article:published_time" content="%s"><link rel="canonical" href="%s"><link rel="preload" href="/static/fonts/source-serif.woff2" as="font" crossorigin><link rel="stylesheet" href="/static/css/app.9c1e77d2.css">%s
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"author":{"@type":"Person","name":%q},"publisher":{"@type":"Organization","name":"Loopback News","logo":{"@type":"ImageObject","url":"/static/img/logo.png"}}}</script>
</head><body class="page page--article">`, t, t, i, author, d.Format(time.RFC3339), articlePath(i), pageStyle, t, d.Format(time.RFC3339), author)
	b.WriteString(`<div class="cookie-banner" role="dialog"><p>We use cookies to personalise content and ads and to analyse our traffic.</p><button class="btn btn--primary">Accept all</button><button class="btn">Manage settings</button></div>`)
	s.header(&b, r)
	fmt.Fprintf(&b, `<div class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="%s">News</a> &rsaquo; %s</div>`, indexPath(i/perIndex), t)
	adSlot(&b, r, "top")
	fmt.Fprintf(&b, `<main class="layout"><article class="article"><h1 class="article__title">%s</h1><div class="byline">By <span class="author">%s</span>, <time datetime="%s">%s</time></div>`, t, author, d.Format(time.RFC3339), d.Format("2 January 2006 15:04"))
	b.WriteString(`<div class="rating">Rate this article: <span data-v="1">&#9733;</span><span data-v="2">&#9733;</span><span data-v="3">&#9733;</span><span data-v="4">&#9733;</span><span data-v="5">&#9733;</span></div>`)
	share(&b)
	fmt.Fprintf(&b, `<figure class="article__image"><picture><source type="image/webp" srcset="/img/%[1]d/480.webp 480w, /img/%[1]d/960.webp 960w, /img/%[1]d/1440.webp 1440w"><img src="/img/%[1]d/960.jpg" alt="" width="960" height="540" loading="eager"></picture><figcaption>%[2]s. Photo: Loopback News</figcaption></figure>`, i, strings.Join(phrase(r, 6), " "))
	// The article's text: 2-8 KB in 4-12 paragraphs.
	text := 2048 + r.IntN(6*1024)
	paras := 4 + r.IntN(9)
	for k := range paras {
		paragraph(&b, r, text/paras)
		if k == paras/2 {
			adSlot(&b, r, "inread")
		}
	}
	share(&b)
	b.WriteString(`</article><aside class="sidebar">`)
	adSlot(&b, r, "sidebar")
	b.WriteString(`<section class="most-read"><h2>Most read</h2><ol>`)
	for range 10 {
		j := r.IntN(s.n)
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, articlePath(j), strings.Join(phrase(r, 8), " "))
	}
	b.WriteString(`</ol></section></aside>`)
	tail := s.tail(r)
	// Teaser cards fill the page to its size, as "more from the section"
	// rails do; they link to other articles.
	b.WriteString(`<section class="related"><h2>More news</h2><div class="cards">`)
	for b.Len()+len(tail)+len(pageScripts)+300 < target {
		card(&b, r, r.IntN(s.n), d)
	}
	b.WriteString(`</div></section></main>`)
	b.WriteString(tail)
	b.WriteString(pageScripts)
	b.WriteString(`</body></html>`)
	return b.String()
}

func (s *site) header(b *strings.Builder, r *rand.Rand) {
	b.WriteString(`<header class="header"><a href="/" class="header__logo" aria-label="Loopback News"><svg viewBox="0 0 160 32" width="160" height="32"><path d="M4 4h4v20h12v4H4zm22 6c5 0 9 4 9 9s-4 9-9 9-9-4-9-9 4-9 9-9zm0 4c-3 0-5 2-5 5s2 5 5 5 5-2 5-5-2-5-5-5zm16-4c5 0 9 4 9 9s-4 9-9 9-9-4-9-9 4-9 9-9zm0 4c-3 0-5 2-5 5s2 5 5 5 5-2 5-5-2-5-5-5z"/></svg></a><nav class="nav" aria-label="Sections"><ul class="nav__list">`)
	for k := range 8 {
		fmt.Fprintf(b, `<li class="nav__item nav__item--has-menu"><a class="nav__link" href="%s">%s</a><ul class="nav__submenu">`, indexPath(k%s.indexes()), strings.Title(words[r.IntN(len(words))])) //nolint:staticcheck // ASCII words only
		for range 8 {
			w := words[r.IntN(len(words))]
			fmt.Fprintf(b, `<li class="nav__subitem"><a class="nav__sublink" href="/topic/%s/">%s</a></li>`, w, strings.Title(w)) //nolint:staticcheck // ASCII words only
		}
		b.WriteString(`</ul></li>`)
	}
	b.WriteString(`</ul></nav><form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search Loopback News" aria-label="Search"><button type="submit">Search</button></form><a class="btn btn--subscribe" href="/subscribe?utm_source=header&amp;utm_medium=button">Subscribe</a></header>`)
}

func share(b *strings.Builder) {
	b.WriteString(`<div class="share" role="group" aria-label="Share">`)
	for _, n := range []string{"Facebook", "X", "Telegram", "WhatsApp", "Email"} {
		fmt.Fprintf(b, `<a class="share__link share__link--%s" href="https://%s.example/share" rel="noopener" target="_blank">%s<span class="visually-hidden">Share on %s</span></a>`, strings.ToLower(n), strings.ToLower(n), iconShare, n)
	}
	b.WriteString(`</div>`)
}

func adSlot(b *strings.Builder, r *rand.Rand, pos string) {
	fmt.Fprintf(b, `<div class="ad-slot ad-slot--%[1]s" id="ad-%[1]s-%[2]x" data-ad-unit="/21%[3]d/loopback/news/article/%[1]s" data-sizes="[[728,90],[970,250],[300,250]]" data-lazy="true"><span class="ad-slot__label">Advertisement</span></div>`, pos, r.Uint32(), r.IntN(1e6))
}

// card is a teaser for article j: kicker, title, image, time.
func card(b *strings.Builder, r *rand.Rand, j int, d time.Time) {
	// Image URLs carry a content hash, as CDNs' do: the least compressible
	// bytes of a real page.
	fmt.Fprintf(b, `<div class="card card--small" data-id="%[1]d" data-track="teaser-%[2]x"><a class="card__link" href="%[3]s"><picture class="card__media"><source type="image/webp" srcset="/img/%[2]x%[8]x/320.webp 320w, /img/%[2]x%[8]x/640.webp 640w"><img class="card__image" src="data:image/webp;base64,UklGRkAAAABXRUJQVlA4IDQAAADQAQCdASoQAAkAAUAmJYgCdAEO%[9]s" data-src="/img/%[2]x%[8]x/320.jpg" alt="" width="320" height="180" loading="lazy" decoding="async"></picture><span class="card__kicker">%[4]s</span><h3 class="card__title">%[5]s</h3><time class="card__meta" datetime="%[6]s">%[7]d min ago</time></a></div>`,
		j, r.Uint64(), articlePath(j), strings.Title(words[r.IntN(len(words))]), title(r), //nolint:staticcheck // ASCII words only
		d.Add(-time.Duration(r.IntN(3000))*time.Minute).Format(time.RFC3339), 1+r.IntN(59), r.Uint64(), lqip(r))
}

// lqip is the random part of a tiny inline placeholder image.
func lqip(r *rand.Rand) string {
	var raw [48]byte
	for k := range raw {
		raw[k] = byte(r.Uint32())
	}
	return base64.StdEncoding.EncodeToString(raw[:])
}

// tail is what follows the article: comments prompt, newsletter, footer.
func (s *site) tail(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(`<div class="comments">Comments are open. <a href="#login">Log in</a> to join the discussion.</div>`)
	b.WriteString(`<section class="newsletter"><h2>The morning briefing</h2><p>The day's news in your inbox before breakfast.</p><form action="/newsletter" method="post"><input type="email" name="email" placeholder="Your email"><button>Sign up</button></form></section>`)
	b.WriteString(`<footer class="footer"><div class="footer__columns">`)
	for range 5 {
		fmt.Fprintf(&b, `<div class="footer__column"><h3>%s</h3><ul>`, strings.Title(words[r.IntN(len(words))])) //nolint:staticcheck // ASCII words only
		for range 8 {
			w := words[r.IntN(len(words))]
			fmt.Fprintf(&b, `<li><a href="/about/%s/">%s</a></li>`, w, strings.Title(w)) //nolint:staticcheck // ASCII words only
		}
		b.WriteString(`</ul></div>`)
	}
	b.WriteString(`</div><p>&copy; 2026 Loopback News. All rights reserved.</p><p>Found a typo? Select it and press Ctrl+Enter.</p></footer>`)
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
