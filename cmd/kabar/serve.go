package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/internal/crawl"
	"github.com/kabar-news/kabar/internal/metrics"
	"github.com/kabar-news/kabar/internal/schedule"
	"github.com/kabar-news/kabar/internal/server"
	"github.com/kabar-news/kabar/internal/store"
	"github.com/kabar-news/kabar/scraper"
)

const (
	// maxBackoff caps the retry delay of a failing source.
	maxBackoff = 6 * time.Hour
	// drainTimeout is how long crawls in progress may go on after a stop signal.
	drainTimeout = 10 * time.Second
)

// daemon is the state of `kabar serve` that a SIGHUP reload swaps.
type daemon struct {
	path    string
	server  config.Server // as the feed server was built; fixed until restart
	store   *store.Store
	metrics *metrics.Metrics
	log     *slog.Logger
	sched   *schedule.Scheduler
	cfg     atomic.Pointer[config.Config]
	runner  atomic.Pointer[crawl.Runner]
	hubHTTP *http.Client
}

// cmdServe runs the daemon: every source on its schedule, and the feed
// server, until SIGINT/SIGTERM; SIGHUP reloads the config.
func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("serve", e)
	path := configFlag(fs)
	logFormat := fs.String("log-format", "", "log format: text or json (default: the config's log.format)")
	cfg, err := parseAndLoad(fs, args, path, e)
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg.Log, *logFormat)
	loc, err := cfg.Location()
	if err != nil {
		return failure(err)
	}
	st, err := openStore(ctx, cfg.Storage.Path)
	if err != nil {
		return failure(err)
	}
	defer st.Close()
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return failure(fmt.Errorf("serve: %w", err))
	}
	if cfg.Server.BaseURL == "" { // listen port 0: known only now
		cfg.Server.BaseURL = "http://" + ln.Addr().String()
	}

	d := &daemon{path: *path, server: cfg.Server, store: st, metrics: metrics.New(), log: log, hubHTTP: &http.Client{Timeout: 15 * time.Second}}
	d.sched = schedule.New(schedule.Options{
		Location:   loc,
		RunTimeout: cfg.Crawler.CrawlTimeout.D(),
		MaxBackoff: maxBackoff,
		// Page fetches in flight get this long to finish on SIGINT/SIGTERM.
		DrainTimeout: drainTimeout,
		Logger:       log,
		OnResult:     d.onResult,
	})
	d.apply(cfg)
	if err := d.sched.Set(d.jobs(ctx, cfg)); err != nil {
		return failure(fmt.Errorf("serve: schedule: %w", err))
	}
	srv := server.New(serverOptions(cfg, st, d.sourceInfos, log, d.metrics))

	log.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.Server.BaseURL, "sources", len(cfg.Sources))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = srv.Serve(ctx, ln) })
	wg.Go(func() { errs[1] = d.sched.Run(ctx) })
	wg.Go(func() { d.reloadLoop(ctx, e) })
	wg.Wait()
	d.runner.Load().Scraper.Close()
	log.Info("stopped")
	return errors.Join(errs...)
}

// apply makes cfg the config in force: a new scraper and runner (the fetch
// policy may have changed). Runs in progress keep the runner they started with.
func (d *daemon) apply(cfg *config.Config) {
	scr := scraper.New(scraper.Options{Policy: crawl.Policy(cfg.Crawler), State: d.store.CrawlState(), Logger: d.log})
	old := d.runner.Swap(&crawl.Runner{Store: d.store, Scraper: scr, Logger: d.log, Metrics: d.metrics, Owner: leaseOwner()})
	d.cfg.Store(cfg)
	if old != nil {
		// Runs in progress keep their connections; idle ones close now.
		old.Scraper.Close()
	}
}

// jobs builds one scheduler job per source.
func (d *daemon) jobs(ctx context.Context, cfg *config.Config) []schedule.Job {
	jobs := make([]schedule.Job, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		var last time.Time
		if s, err := d.store.Status(ctx, src.Name); err == nil {
			last = s.LastRun.Started
		} else {
			d.log.Warn("read crawl state", "source", src.Name, "error", err)
		}
		jobs = append(jobs, schedule.Job{
			Name:    src.Name,
			Spec:    src.Schedule,
			LastRun: last,
			Run:     func(ctx context.Context) error { return d.crawl(ctx, src.Name) },
		})
	}
	return jobs
}

// crawl is one scheduled run of a source, under the config in force now.
func (d *daemon) crawl(ctx context.Context, name string) error {
	cfg := d.cfg.Load()
	src, ok := cfg.Source(name)
	if !ok {
		return nil // removed by a reload after this run was scheduled
	}
	res, err := d.runner.Load().Run(ctx, src)
	if errors.Is(err, crawl.ErrLeaseHeld) {
		return fmt.Errorf("%w: %w", schedule.ErrSkipped, err)
	}
	if hub := d.server.WebSubHub; err == nil && res.New+res.Updated > 0 && hub != "" {
		if perr := server.PingHub(ctx, d.hubHTTP, hub, server.Topics(d.server.BaseURL, name)); perr != nil {
			d.log.Warn("websub ping", "source", name, "error", perr)
		}
	}
	return err
}

func (d *daemon) onResult(name string, r schedule.Result) {
	if errors.Is(r.Err, schedule.ErrInProgress) {
		// Lease skips are counted by the runner; overlapping ticks here.
		d.metrics.Crawls.WithLabelValues(name, "skipped").Inc()
	}
	v := 0.0
	if r.Failing {
		v = 1
	}
	d.metrics.SourceFailing.WithLabelValues(name).Set(v)
}

// reloadLoop reloads the config on SIGHUP until ctx ends.
func (d *daemon) reloadLoop(ctx context.Context, e *env) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.hup:
			d.reload(ctx)
		}
	}
}

// reload validates the config file anew; on error the old config stays in
// force and every problem is logged.
func (d *daemon) reload(ctx context.Context) {
	cfg, err := config.Load(d.path)
	if err != nil {
		var probs config.Problems
		if errors.As(err, &probs) {
			for _, p := range probs {
				d.log.Error("reload: config problem; keeping the old config", "problem", p.Error())
			}
		} else {
			d.log.Error("reload failed; keeping the old config", "error", err)
		}
		return
	}
	cfg.SetVersion(versionString())
	old := d.cfg.Load()
	if cfg.Server.BaseURL == "" {
		cfg.Server.BaseURL = old.Server.BaseURL
	}
	for _, src := range old.Sources {
		if _, ok := cfg.Source(src.Name); !ok {
			d.metrics.SourceFailing.DeleteLabelValues(src.Name)
		}
	}
	// The store, the listener and the feed server are built once; sources,
	// schedules and the fetch policy are what a reload changes.
	if cfg.Storage != old.Storage || cfg.Server != old.Server || cfg.Feeds != old.Feeds {
		d.log.Warn("reload: changes to storage, server and feeds take effect on restart only")
	}
	jobs := d.jobs(ctx, cfg)
	d.apply(cfg)
	if err := d.sched.Set(jobs); err != nil {
		d.log.Error("reload: schedule; keeping the old schedules", "error", err)
		return
	}
	d.log.Info("config reloaded", "sources", len(cfg.Sources))
}

// sourceInfos is what the server shows of the sources in force.
func (d *daemon) sourceInfos() []server.SourceInfo {
	cfg := d.cfg.Load()
	infos := sourceInfos(cfg)
	status := map[string]schedule.JobStatus{}
	for _, s := range d.sched.Status() {
		status[s.Name] = s
	}
	for i := range infos {
		if s, ok := status[infos[i].Name]; ok {
			infos[i].NextRun = s.Next
			infos[i].Failing = s.Failing
		}
	}
	return infos
}

func sourceInfos(cfg *config.Config) []server.SourceInfo {
	infos := make([]server.SourceInfo, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		home := ""
		switch {
		case len(s.StartURLs) > 0:
			home = s.StartURLs[0]
		case s.FeedURL != "":
			home = s.FeedURL
		default:
			home = s.SitemapURL
		}
		infos = append(infos, server.SourceInfo{
			Name: s.Name, Title: s.Title, HomeURL: home, Language: s.Language,
			RulesConfigured: s.Rules.Content != "",
		})
	}
	return infos
}

// serverOptions builds the feed server's options from the config.
func serverOptions(cfg *config.Config, st *store.Store, infos func() []server.SourceInfo, log *slog.Logger, m *metrics.Metrics) server.Options {
	if infos == nil {
		infos = func() []server.SourceInfo { return sourceInfos(cfg) }
	}
	return server.Options{
		Store: st, BaseURL: cfg.Server.BaseURL, HubURL: cfg.Server.WebSubHub,
		MaxItems: cfg.Feeds.MaxItems, Sources: infos, Logger: log, Metrics: m,
	}
}
