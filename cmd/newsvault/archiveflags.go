package main

import (
	"context"
	"flag"

	"github.com/newsvault/newsvault/archive/sqlite"
	"github.com/newsvault/newsvault/selectors"
)

// archiveFlags lets a command that reads the archive take it from --db or
// from a config file's db.
type archiveFlags struct {
	db, config string
}

func (a *archiveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.db, "db", "", "archive `path` (default newsvault.db, or the config's db)")
	fs.StringVar(&a.config, "config", "", "config `file` whose db to use")
}

// path resolves the archive path.
func (a *archiveFlags) path() (string, error) {
	switch {
	case a.db != "" && a.config != "":
		return "", usagef("give --db or --config, not both")
	case a.db != "":
		return a.db, nil
	case a.config != "":
		cfg, _, err := loadConfig(a.config)
		if err != nil {
			return "", err
		}
		return cfg.DB, nil
	}
	return "newsvault.db", nil
}

// open opens the existing archive the flags name.
func (a *archiveFlags) open(ctx context.Context) (*sqlite.Store, error) {
	path, err := a.path()
	if err != nil {
		return nil, err
	}
	return openExisting(ctx, path)
}

// profiles loads the site profiles: the built-in ones plus file, or, when
// file is "" and a config names the archive, the config's selectors file.
func (a *archiveFlags) profiles(file string) (*selectors.Set, error) {
	if file == "" && a.config != "" {
		cfg, _, err := loadConfig(a.config)
		if err != nil {
			return nil, err
		}
		file = cfg.Selectors
	}
	return loadProfiles(file)
}
