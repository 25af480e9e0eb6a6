//go:build kabardeps

// Package kabar pins dependencies while packages are being written; removed before release.
package kabar

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/gocolly/colly/v2"
	_ "github.com/gocolly/colly/v2/extensions"
	_ "github.com/gorilla/feeds"
	_ "github.com/microcosm-cc/bluemonday"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/robfig/cron/v3"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/net/html"
	_ "golang.org/x/net/html/charset"
	_ "golang.org/x/text/encoding/charmap"
	_ "golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite"
)
