package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/kabar-news/kabar/internal/config"
)

// configFlag registers the -config flag of the commands that read one.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "config.yaml", "config file")
}

// parseAndLoad parses the flags of a config-driven command, which takes no
// positional arguments, and loads its config.
func parseAndLoad(fs *flag.FlagSet, args []string, path *string, e *env) (*config.Config, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usageError("%s: unexpected arguments %q", strings.TrimPrefix(fs.Name(), "kabar "), fs.Args())
	}
	return loadConfig(*path, e)
}

// loadConfig loads and validates the config at path. Problems are printed,
// one per line with their line numbers, and turned into an exit-1 failure.
func loadConfig(path string, e *env) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err == nil {
		cfg.SetVersion(versionString())
		for _, w := range cfg.Warnings() {
			fmt.Fprintln(e.stderr, "warning:", w.Error())
		}
		return cfg, nil
	}
	var probs config.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(e.stderr, p.Error())
		}
		fmt.Fprintf(e.stderr, "kabar: %s: %d problem(s)\n", path, len(probs))
		return nil, failure(errReported)
	}
	return nil, failure(err)
}

func userAgent() string { return config.DefaultUserAgent(versionString()) }

// newLogger builds the one logger of the process. format overrides the
// config's log.format when set.
func newLogger(w io.Writer, cfg config.Log, format string) *slog.Logger {
	if format == "" {
		format = cfg.Format
	}
	opts := &slog.HandlerOptions{Level: cfg.SlogLevel()}
	if strings.EqualFold(format, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// isTerminal reports whether w is a character device (an interactive terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// leaseOwner names this process in source leases.
func leaseOwner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}
