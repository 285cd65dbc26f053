package main

import (
	"fmt"
	"io"
	"strings"
)

func perSec(n int, r result) float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(n) / r.Elapsed.Seconds()
}

func usPer(n int, r result) float64 {
	if n == 0 {
		return 0
	}
	return float64(r.CPU.Microseconds()) / float64(n)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// writeTable prints rep as Markdown: the two crawlers as rows, their ratio,
// then export and the site's own cost.
func writeTable(w io.Writer, rep report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "`%s` on %s\n\n", rep.Command, rep.Machine)
	b.WriteString("| run | articles | pages | failed | seconds | articles/s | CPU µs/article | peak RSS MiB | DB bytes/article |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	row := func(name string, r result, db string) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.2f | %.0f | %.0f | %.1f | %s |\n", name, r.Articles, r.Pages, r.Failed,
			r.Elapsed.Seconds(), perSec(r.Articles, r), usPer(r.Articles, r), mib(r.PeakRSS), db)
	}
	nv, co := rep.Newsvault, rep.Colly
	dbPer := "–"
	if nv.Articles > 0 {
		dbPer = fmt.Sprintf("%d", nv.Bytes/int64(nv.Articles))
	}
	row("newsvault crawl", nv, dbPer)
	if co.Pages > 0 { // not with -reference=false
		row("Colly reference", co, "–")
		fmt.Fprintf(&b, "| newsvault / reference | | | | %s | %s | %s | %s | |\n",
			ratio(nv.Elapsed.Seconds(), co.Elapsed.Seconds()),
			ratio(perSec(nv.Articles, nv), perSec(co.Articles, co)),
			ratio(usPer(nv.Articles, nv), usPer(co.Articles, co)),
			ratio(float64(nv.PeakRSS), float64(co.PeakRSS)))
	}
	row("newsvault export (JSONL → /dev/null)", rep.Export, "–")
	s := rep.Site
	fmt.Fprintf(&b, "\nSite (own process): %d responses, %.1f MiB served, %.2f s CPU (%.0f µs/response).\n",
		s.Pages, mib(s.Bytes), s.CPU.Seconds(), usPer(s.Pages, s))
	_, err := io.WriteString(w, b.String())
	return err
}
