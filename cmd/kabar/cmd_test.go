package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/scraper"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"crawl", "-no-such-flag"}, exitUsage},
		{[]string{"extract"}, exitUsage},
		{[]string{"extract", "-format", "pdf", "x.html"}, exitUsage},
		{[]string{"version"}, exitOK},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, &out, &errb)
		if got := exitCode(err, io.Discard); got != tc.code {
			t.Errorf("kabar %v: exit %d, want %d (err %v)", tc.args, got, tc.code, err)
		}
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "kabar ") || !strings.Contains(out.String(), "go: go1.") {
		t.Errorf("version output %q", out.String())
	}
}

func TestCheckShippedConfig(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"check", "-config", "../../config.yaml"}, &out, &errb); err != nil {
		t.Fatalf("check of the shipped config.yaml: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "ok") {
		t.Errorf("check output %q", out.String())
	}
}

func TestCheckListsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := `crawler:
  delay: soon
  max_body: 10 parsecs
sources:
  - name: Berita Satu
    start_urls: [ftp://example.com/]
    schedule: "*/x * * * *"
    article_url_pattern: '(['
    rules:
      content: "div[["
`
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"check", "-config", path}, &out, &errb)
	if code := exitCode(err, io.Discard); code != exitFailure {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{":2:", ":3:", ":5:", ":6:", ":7:", ":8:", ":10:", "sources[0].schedule"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, errb.String())
		}
	}
}

func TestMissingConfigNamesPath(t *testing.T) {
	var errb bytes.Buffer
	path := filepath.Join(t.TempDir(), "nope.yaml")
	err := run(context.Background(), []string{"crawl", "-config", path}, io.Discard, &errb)
	code := exitCode(err, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), path) {
		t.Errorf("exit %d, stderr %q: want 1 and the path tried", code, errb.String())
	}
}

func TestExtractKeepsGoingAfterBadInputs(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "image.bin")
	os.WriteFile(binary, bytes.Repeat([]byte{0, 0xff, 0x13, 0}, 1000), 0o644)
	page := filepath.Join("testdata", "site", "banjir.html")
	missing := filepath.Join(dir, "missing.html")

	var out bytes.Buffer
	err := run(context.Background(), []string{"extract", "-format", "jsonl", missing, binary, page}, &out, io.Discard)
	if code := exitCode(err, io.Discard); code != exitFailure {
		t.Errorf("exit %d, want 1 when an input failed", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out.String())
	}
	var recs []map[string]any
	for _, l := range lines {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("bad jsonl line %q: %v", l, err)
		}
		recs = append(recs, r)
	}
	for i, in := range []string{missing, binary, page} {
		if recs[i]["file"] != in {
			t.Errorf("line %d: file %v, want %q (input order)", i, recs[i]["file"], in)
		}
	}
	if recs[0]["error"] == "" || recs[1]["error"] == "" {
		t.Errorf("missing and binary inputs must carry an error: %v / %v", recs[0]["error"], recs[1]["error"])
	}
	if recs[2]["error"] != "" || recs[2]["title"] != "Banjir Rob Rendam Permukiman di Pesisir Utara Jawa" {
		t.Errorf("good page: error %v title %v", recs[2]["error"], recs[2]["title"])
	}
	for _, key := range []string{"url", "author", "published", "modified", "lead_image", "language", "site_name", "description", "tags", "text", "html"} {
		if _, ok := recs[2][key]; !ok {
			t.Errorf("record lacks the contract key %q", key)
		}
	}
	if text, _ := recs[2]["text"].(string); !strings.Contains(text, "\n\n") || strings.Contains(text, "Baca juga") {
		t.Errorf("text: want paragraphs separated by blank lines and no related links:\n%s", text)
	}
}

func TestExtractFormats(t *testing.T) {
	page := filepath.Join("testdata", "site", "beras.html")
	for _, tc := range []struct{ format, want string }{
		{"text", "Setiap keluarga penerima"},
		{"html", "<article>"},
		{"markdown", "# Pemerintah Umumkan Program Beras Murah"},
		{"json", `"title": "Pemerintah Umumkan Program Beras Murah untuk Keluarga Prasejahtera"`},
	} {
		var out bytes.Buffer
		args := []string{"extract", "-format", tc.format, "-url", "https://warta.example/2025/08/12/beras/", page}
		if err := run(context.Background(), args, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s output lacks %q:\n%s", tc.format, tc.want, out.String())
		}
	}
}

func TestMarkdown(t *testing.T) {
	got := toMarkdown(`<h2>Sub</h2><p>Teks <strong>tebal</strong> dan <a href="https://x.id/a">tautan</a>.</p><ul><li>satu</li><li>dua</li></ul><figure><img src="https://x.id/i.jpg" alt="foto"><figcaption>Keterangan</figcaption></figure>`)
	for _, want := range []string{"## Sub", "Teks **tebal** dan [tautan](https://x.id/a).", "- satu\n- dua", "![foto](https://x.id/i.jpg)\n\n*Keterangan*"} {
		if !strings.Contains(got, want) {
			t.Errorf("markdown lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "Keterangan") != 1 {
		t.Errorf("the caption is written more than once:\n%s", got)
	}
}

func TestProgressTable(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, []config.Source{{Name: "satu"}, {Name: "dua"}})
	p.update("satu", scraper.Stats{Pages: 3, Articles: 2})
	io.WriteString(p, "a log line\n")
	p.done("satu", nil)
	p.done("dua", errors.New("down"))
	p.stop()
	io.WriteString(p, "after the end\n")
	s := out.String()
	last := s[strings.LastIndex(s, "source "):]
	for _, want := range []string{"satu                 done           3        2", "dua                  failed", "after the end\n"} {
		if !strings.Contains(last, want) {
			t.Errorf("final table lacks %q:\n%q", want, last)
		}
	}
	if !strings.HasSuffix(s, "failed         0        0       0      0\nafter the end\n") {
		t.Errorf("log lines after stop must pass through without redrawing:\n%q", s)
	}
}
