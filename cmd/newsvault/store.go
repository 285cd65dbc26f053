package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/newsvault/newsvault/archive/sqlite"
	"github.com/newsvault/newsvault/scraper"
	"github.com/newsvault/newsvault/selectors"
)

// openStore opens (creating if needed) the archive the crawl writes to.
func openStore(ctx context.Context, path string) (*sqlite.Store, error) {
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	return s, nil
}

// openLocked takes the archive's run lock (so no scheduled run writes
// meanwhile), then opens the archive with open. release closes the store,
// then gives up the lock.
func openLocked(ctx context.Context, path string, open func(context.Context, string) (*sqlite.Store, error)) (store *sqlite.Store, release func(), err error) {
	unlock, err := lockArchive(path)
	if err != nil {
		return nil, nil, err
	}
	if store, err = open(ctx, path); err != nil {
		unlock()
		return nil, nil, err
	}
	return store, func() { store.Close(); unlock() }, nil
}

// frontier opens each crawl's frontier in the archive, so a crawl's
// memory does not grow with the site.
func frontier(s *sqlite.Store) scraper.OpenFrontier {
	return func(ctx context.Context) (scraper.Frontier, error) {
		return s.OpenFrontier(ctx)
	}
}

// openExisting opens an archive that must already exist, so a typo in
// --db is an error rather than a new empty database.
func openExisting(ctx context.Context, path string) (*sqlite.Store, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no archive at %s (run \"newsvault crawl\" first or pass --db)", path)
		}
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	return openStore(ctx, path)
}

// loadProfiles returns the built-in site profiles plus those in file, if any.
func loadProfiles(file string) (*selectors.Set, error) {
	set, err := selectors.Builtin()
	if err != nil {
		return nil, fmt.Errorf("load built-in profiles: %w", err)
	}
	if file == "" {
		return set, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	if err := set.Add(file, data); err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	return set, nil
}
