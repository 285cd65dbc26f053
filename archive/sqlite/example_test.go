package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/newsvault/newsvault/archive"
	"github.com/newsvault/newsvault/archive/sqlite"
)

func Example() {
	dir, err := os.MkdirTemp("", "newsvault")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "news.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	fetch := func(day int, text string) (*archive.Capture, *archive.Article) {
		c := &archive.Capture{
			URL: "https://example.com/news/1", FinalURL: "https://example.com/news/1", Status: 200,
			FetchedAt: time.Date(2024, 3, day, 9, 0, 0, 0, time.UTC),
			Body:      []byte("<html><p>" + text + "</p></html>"),
		}
		a := &archive.Article{URL: c.FinalURL, Site: "example.com", Title: "Budget passed", Text: text}
		return c, a
	}
	for day, text := range []string{"The budget passed.", "The budget passed.", "The budget passed, 52 to 48."} {
		c, a := fetch(day+1, text)
		saved, err := store.Save(ctx, c, a)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(saved.Outcome, "version", saved.Version)
	}

	latest, err := store.Latest(ctx, "https://example.com/news/1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(latest.Version, latest.Text, latest.FetchedAt.Format(time.DateOnly))

	err = store.Articles(ctx, archive.Filter{Site: "example.com"}, func(a *archive.Article) error {
		fmt.Println(a.Key())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// new version 1
	// unchanged version 1
	// updated version 2
	// 2 The budget passed, 52 to 48. 2024-03-03
	// https://example.com/news/1
}
