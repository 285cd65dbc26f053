package selectors

import (
	"bytes"
	"reflect"
	"sync"
	"testing"

	"github.com/newsvault/newsvault/archive"
)

// TestExtractConcurrent extracts the fixtures from several goroutines at
// once, as the crawl does, and expects what one goroutine gets: the pooled
// tables and shared indexes must not leak between pages. Run it with -race.
func TestExtractConcurrent(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	fx := fixtures(t)
	want := make([]archive.Article, len(fx))
	for i, f := range fx {
		want[i], _ = set.ExtractHTML(bytes.NewReader(f.page), f.url)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, f := range fx {
				got, _ := set.ExtractHTML(bytes.NewReader(f.page), f.url)
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: concurrent extraction differs", f.dir)
				}
			}
		})
	}
	wg.Wait()
}
