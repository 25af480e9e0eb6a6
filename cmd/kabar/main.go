// Command kabar crawls news sites, extracts clean full-text articles and
// serves them as RSS, Atom and JSON Feed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // server.timezone works without the system zone database
)

// Exit statuses, as in the contract.
const (
	exitOK      = 0
	exitFailure = 1 // something the user must fix: bad config, no output
	exitUsage   = 2 // bad usage
)

// exitError carries an exit status with an error already meant for the user.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is a bad-usage failure (exit 2).
func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// failure is a failure the user must fix (exit 1).
func failure(err error) error { return &exitError{code: exitFailure, err: err} }

// command is one subcommand.
type command struct {
	name  string
	short string
	run   func(ctx context.Context, env *env, args []string) error
}

// env is what a command runs with: the process's streams and signals.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// hup delivers SIGHUP (serve reloads its config); nil when not wired.
	hup <-chan os.Signal
}

func commands() []command {
	return []command{
		{"serve", "crawl every source on its schedule and serve the feeds over HTTP", cmdServe},
		{"crawl", "crawl all (or the named) sources once, then exit", cmdCrawl},
		{"extract", "extract article records from HTML files, stdin or URLs", cmdExtract},
		{"check", "validate the config: selectors, patterns, schedules", cmdCheck},
		{"version", "print version and build information", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		// A second SIGINT/SIGTERM exits at once.
		<-ctx.Done()
		stop()
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		<-again
		fmt.Fprintln(os.Stderr, "kabar: second signal, exiting now")
		os.Exit(exitFailure)
	}()
	err := runEnv(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, hup: hup}, os.Args[1:])
	os.Exit(exitCode(err, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runEnv(ctx, &env{stdin: os.Stdin, stdout: stdout, stderr: stderr}, args)
}

func runEnv(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		usage(e.stderr)
		return usageError("no command given")
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	usage(e.stderr)
	return usageError("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kabar <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprintln(w, "\nRun 'kabar <command> -h' for the flags of a command.")
}

// exitCode prints err (once) and maps it to the process exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && !errors.Is(ee.err, errReported) {
			fmt.Fprintln(stderr, "kabar:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "kabar:", err)
	return exitFailure
}

// errReported marks a failure whose details were already printed.
var errReported = errors.New("reported")
