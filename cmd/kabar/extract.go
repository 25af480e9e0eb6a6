package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// record is one line of `kabar extract -format jsonl`: the contract's
// fields first, then kabar's additions.
type record struct {
	File        string   `json:"file"`
	URL         string   `json:"url"`
	Title       string   `json:"title"`
	Author      string   `json:"author"`
	Published   string   `json:"published"`
	Modified    string   `json:"modified"`
	LeadImage   string   `json:"lead_image"`
	Language    string   `json:"language"`
	SiteName    string   `json:"site_name"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Text        string   `json:"text"`
	HTML        string   `json:"html"`
	Error       string   `json:"error"`

	PageURL    string   `json:"page_url,omitempty"`
	Subtitle   string   `json:"subtitle,omitempty"`
	Authors    []string `json:"authors,omitempty"`
	Editor     string   `json:"editor,omitempty"`
	Section    string   `json:"section,omitempty"`
	NextPage   string   `json:"next_page,omitempty"`
	SinglePage string   `json:"single_page,omitempty"`
	Method     string   `json:"method,omitempty"`
	Profile    string   `json:"profile,omitempty"`
	Confidence float64  `json:"confidence,omitempty"`
}

func newRecord(file string, a *extract.Article) record {
	r := record{
		File: file, URL: a.URL, Title: a.Title, Author: a.Author(),
		Published: rfc3339(a.Published), Modified: rfc3339(a.Modified),
		LeadImage: a.LeadImage, Language: a.Language, SiteName: a.SiteName,
		Description: a.Description, Tags: a.Tags, Text: a.Text, HTML: a.HTML,
		PageURL: a.PageURL, Subtitle: a.Subtitle, Authors: a.Authors, Editor: a.Editor,
		Section: a.Section, NextPage: a.NextPage, SinglePage: a.SinglePage,
		Method: string(a.Method), Profile: a.Profile, Confidence: a.Confidence,
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	return r
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

var extractFormats = []string{"jsonl", "json", "text", "html", "markdown"}

// cmdExtract extracts article records from files, stdin or URLs without
// storing anything.
func cmdExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("extract", e)
	pageURL := fs.String("url", "", "page URL of a single file input (resolves relative links, canonical fallback)")
	format := fs.String("format", "jsonl", "output format: "+strings.Join(extractFormats, ", "))
	timeout := fs.Duration("timeout", 30*time.Second, "whole-request timeout for URL inputs")
	maxBody := fs.Int64("max-body", 10<<20, "largest input in bytes (decompressed)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kabar extract [-url URL] [-format jsonl|json|text|html|markdown] INPUT...")
		fmt.Fprintln(e.stderr, "INPUT is an HTML file, - for stdin, or an http(s) URL.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		fs.Usage()
		return usageError("extract: no input given")
	}
	if *pageURL != "" && len(inputs) > 1 {
		return usageError("extract: -url applies to a single input, got %d", len(inputs))
	}
	out, ok := extractWriters[*format]
	if !ok {
		return usageError("extract: unknown -format %q (want one of %s)", *format, strings.Join(extractFormats, ", "))
	}

	if len(inputs) > 1 && os.Getenv("GOGC") == "" {
		// A batch keeps almost nothing live between pages, so the default
		// collector would run every few MB; trade some memory for CPU.
		debug.SetGCPercent(400)
	}
	client := &http.Client{Timeout: *timeout}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	var recs []record
	failed := 0
	for _, in := range inputs {
		a, err := extractInput(ctx, client, e.stdin, in, *pageURL, *maxBody)
		var rec record
		if err != nil {
			failed++
			rec = record{File: in, Tags: []string{}, Error: err.Error()}
			fmt.Fprintf(e.stderr, "kabar: extract %s: %v\n", in, err)
		} else {
			rec = newRecord(in, a)
		}
		if *format == "json" {
			recs = append(recs, rec)
			continue
		}
		if err := out(w, rec); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(recs); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if failed > 0 {
		return failure(fmt.Errorf("extract: %d of %d inputs failed", failed, len(inputs)))
	}
	return nil
}

// extractInput reads one input (file, "-" or URL) and extracts it.
func extractInput(ctx context.Context, client *http.Client, stdin io.Reader, in, pageURL string, maxBody int64) (*extract.Article, error) {
	var (
		body        []byte
		contentType string
		err         error
	)
	switch {
	case in == "-":
		body, err = readLimited(stdin, maxBody)
	case strings.HasPrefix(in, "http://") || strings.HasPrefix(in, "https://"):
		if pageURL == "" {
			pageURL = in
		}
		body, contentType, err = fetch(ctx, client, in, maxBody)
	default:
		var f *os.File
		if f, err = os.Open(in); err == nil {
			body, err = readLimited(f, maxBody)
			f.Close()
		}
	}
	if err != nil {
		return nil, err
	}
	return extract.FromReader(bytes.NewReader(body), pageURL, extract.Options{ContentType: contentType})
}

var errTooLarge = errors.New("input larger than -max-body")

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", errTooLarge, limit)
	}
	return b, nil
}

func fetch(ctx context.Context, client *http.Client, u string, maxBody int64) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("User-Agent", userAgent())
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("fetch: %s", resp.Status)
	}
	ct := resp.Header.Get("Content-Type")
	if ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") {
		return nil, "", fmt.Errorf("fetch: not HTML (Content-Type %q)", ct)
	}
	b, err := readLimited(resp.Body, maxBody)
	return b, ct, err
}

// extractWriters write one record in each streaming format.
var extractWriters = map[string]func(io.Writer, record) error{
	"jsonl": func(w io.Writer, r record) error {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	},
	"json": nil, // collected and written as one array
	"text": func(w io.Writer, r record) error {
		if r.Error != "" {
			_, err := fmt.Fprintf(w, "== %s\nerror: %s\n\n", r.File, r.Error)
			return err
		}
		_, err := fmt.Fprintf(w, "== %s\n%s\n%s\n\n%s\n\n", r.File, r.Title, byline(r), r.Text)
		return err
	},
	"html": func(w io.Writer, r record) error {
		return articleHTML.Execute(w, struct {
			record
			Body template.HTML
		}{r, template.HTML(r.HTML)}) // r.HTML is sanitised by extract
	},
	"markdown": func(w io.Writer, r record) error {
		if r.Error != "" {
			_, err := fmt.Fprintf(w, "<!-- %s: error: %s -->\n\n", r.File, r.Error)
			return err
		}
		_, err := fmt.Fprintf(w, "# %s\n\n%s\n\n%s\n\n", mdEscape(r.Title), mdEscape(byline(r)), toMarkdown(r.HTML))
		return err
	},
}

func byline(r record) string {
	var parts []string
	if r.Author != "" {
		parts = append(parts, r.Author)
	}
	if r.Published != "" {
		parts = append(parts, r.Published)
	}
	if r.URL != "" {
		parts = append(parts, r.URL)
	}
	return strings.Join(parts, " · ")
}

var articleHTML = template.Must(template.New("article").Parse(`<!doctype html>
<html lang="{{.Language}}"><head><meta charset="utf-8"><title>{{.Title}}</title>{{if .URL}}<link rel="canonical" href="{{.URL}}">{{end}}</head>
<body><article>
{{- if .Error}}<p>{{.File}}: error: {{.Error}}</p>{{else}}
<h1>{{.Title}}</h1>
<p class="byline">{{if .Author}}{{.Author}}{{end}}{{if .Published}} <time datetime="{{.Published}}">{{.Published}}</time>{{end}}</p>
{{.Body}}{{end}}
</article></body></html>
`))
