package selectors

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/newsvault/newsvault/archive"
)

// provenanceOf extracts a fixture with set and returns its provenance.
func provenanceOf(t *testing.T, set *Set, dir string) (archive.Article, archive.Provenance) {
	t.Helper()
	var fx *fixture
	for _, f := range fixtures(t) {
		if f.dir == filepath.Join("testdata", dir) {
			fx = &f
		}
	}
	if fx == nil {
		t.Fatalf("no fixture %s", dir)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(fx.page))
	if err != nil {
		t.Fatal(err)
	}
	a, p, err := set.ExtractWithProvenance(doc, fx.url)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return a, p
}

func TestProvenancePerField(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	inforos := ""
	for _, p := range set.Profiles() {
		if p.Name == "inforos" {
			inforos = p.Hash
		}
	}
	if len(inforos) != 64 {
		t.Fatalf("inforos profile hash %q, want 64 hex digits", inforos)
	}
	for _, tc := range []struct {
		dir  string
		want archive.Provenance
	}{
		{"generic/news-en", archive.Provenance{ // JSON-LD and og:title
			Profile: "generic", Title: "og:title", Published: "json-ld:datePublished",
			Modified: "json-ld:dateModified", Authors: "json-ld:author",
		}},
		{"generic/amp-story", archive.Provenance{ // JSON-LD only
			Profile: "generic", Title: "json-ld:headline", Published: "json-ld:datePublished",
			Authors: "json-ld:author",
		}},
		{"generic/drupal-node", archive.Provenance{ // og tags only: no date, no author
			Profile: "generic", Title: "og:title",
		}},
		{"generic/paywall-fr", archive.Provenance{
			Profile: "generic", Title: "<title>", Published: "meta:article:published_time",
			Authors: "meta:article:author",
		}},
		{"generic/bitrix-ru", archive.Provenance{
			Profile: "generic", Title: "<title>", Published: "dateline", Authors: "byline",
		}},
		{"inforos/article", archive.Provenance{
			Profile: "inforos", ProfileHash: inforos, Title: "profile:title", Published: "profile:published",
		}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			_, got := provenanceOf(t, set, tc.dir)
			if got != tc.want {
				t.Errorf("provenance\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// Extract and ExtractWithProvenance give the same article.
func TestExtractWithProvenanceSameArticle(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures(t) {
		doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(f.page))
		want, wantErr := set.Extract(doc, f.url)
		got, _ := provenanceOf(t, set, filepath.Join(filepath.Base(filepath.Dir(f.dir)), filepath.Base(f.dir)))
		if got.Fingerprint() != want.Fingerprint() {
			t.Errorf("%s: ExtractWithProvenance gives another article (Extract err %v)", f.dir, wantErr)
		}
	}
}

func TestProfileHash(t *testing.T) {
	const def = "sites:\n  - name: x\n    hosts: [x.example]\n    title: h1.t\n"
	hash := func(yaml string) string {
		var s Set
		if err := s.Add("x.yaml", []byte(yaml)); err != nil {
			t.Fatal(err)
		}
		return s.Profiles()[0].Hash
	}
	base := hash(def)
	if got := hash("# a comment\nsites:\n- {title: h1.t, hosts: [x.example], name: x}\n"); got != base {
		t.Errorf("layout changed the hash: %s != %s", got, base)
	}
	if got := hash("sites:\n  - name: x\n    hosts: [x.example]\n    title: h1.headline\n"); got == base {
		t.Error("a changed selector kept the hash")
	}
}
