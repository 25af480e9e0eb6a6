package config

import (
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kabar-news/kabar/internal/schedule"
)

const shippedConfig = "../../config.yaml"

// The config.yaml shipped at the repository root must always load, and
// stay the polite, documented default it claims to be.
func TestShippedConfig(t *testing.T) {
	c, err := Load(shippedConfig)
	if err != nil {
		t.Fatalf("the shipped config does not load:\n%v", err)
	}
	if w := c.Warnings(); len(w) > 0 {
		t.Errorf("the shipped config has warnings: %v", w)
	}
	// Its comments say "the value shown is the default unless the comment
	// says otherwise": the global sections must equal Default().
	def := Default()
	def.ApplyDefaults()
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"storage", c.Storage, def.Storage},
		{"server", c.Server, def.Server},
		{"crawler", c.Crawler, def.Crawler},
		{"feeds", c.Feeds, def.Feeds},
		{"log", c.Log, def.Log},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("shipped %s = %+v, differs from the default %+v", f.name, f.got, f.want)
		}
	}
	if !strings.HasPrefix(c.Storage.Path, "data/") || c.Server.Listen != "127.0.0.1:8080" {
		t.Errorf("storage %q, listen %q: want data/ and 127.0.0.1:8080", c.Storage.Path, c.Server.Listen)
	}
	if !c.Crawler.Robots() || c.Crawler.Parallelism > 2 || c.Crawler.Delay.D() < time.Second {
		t.Errorf("the shipped crawler is not polite: %+v", c.Crawler)
	}
	if n := len(c.Sources); n < 4 || n > 6 {
		t.Errorf("%d sources, want a handful (4-6)", n)
	}
	for _, s := range c.Sources {
		if s.FeedURL == "" && s.SitemapURL == "" && len(s.StartURLs) == 0 {
			t.Errorf("source %s has nothing to crawl", s.Name)
		}
		if s.Language != "id" {
			t.Errorf("source %s: language %q, want id", s.Name, s.Language)
		}
		if s.Title == s.Name {
			t.Errorf("source %s has no title of its own", s.Name)
		}
		if iv, _ := schedule.Interval(s.Schedule, time.UTC); iv < 15*time.Minute || iv > 30*time.Minute {
			t.Errorf("source %s: schedule %q runs every %v, want 15-30 minutes", s.Name, s.Schedule, iv)
		}
		if s.MaxArticles > 50 {
			t.Errorf("source %s: max_articles %d is not modest", s.Name, s.MaxArticles)
		}
		for _, raw := range append([]string{s.FeedURL, s.SitemapURL}, s.StartURLs...) {
			if raw == "" {
				continue
			}
			u, _ := url.Parse(raw)
			if u.Scheme != "https" {
				t.Errorf("source %s: %s is not https", s.Name, raw)
			}
			host := strings.TrimPrefix(u.Hostname(), "www.")
			if strings.HasSuffix(host, "example.id") || strings.HasSuffix(host, "example.com") {
				t.Errorf("source %s: placeholder host %s", s.Name, host)
			}
		}
	}
}

// Every key the shipped file uses appears with a comment, and every source
// key the file documents is a real key.
func TestShippedConfigDocumentsItsKeys(t *testing.T) {
	data, err := os.ReadFile(shippedConfig)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, key := range []string{
		"path:", "listen:", "base_url:", "websub_hub:", "timezone:", "user_agent:", "respect_robots:",
		"parallelism:", "delay:", "timeout:", "max_body:", "crawl_timeout:", "max_items:", "format:", "level:",
	} {
		found := false
		for line := range strings.Lines(text) {
			trimmed := strings.TrimLeft(line, " #")
			if strings.HasPrefix(trimmed, key) && strings.Contains(trimmed[len(key):], "#") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("the shipped config does not show %s with a comment", key)
		}
	}
	for name := range yamlFields(reflect.TypeFor[Source]()) {
		if !strings.Contains(text, "#   "+name) {
			t.Errorf("the shipped config's source key list does not explain %q", name)
		}
	}
}
