package crawl

import (
	"regexp"

	"github.com/kabar-news/kabar/extract"
	"github.com/kabar-news/kabar/internal/config"
	"github.com/kabar-news/kabar/scraper"
)

// ScraperSource converts a validated config source into what the scraper
// crawls. The pattern was compiled by config validation, so it compiles.
func ScraperSource(src config.Source) scraper.Source {
	var pat *regexp.Regexp
	if src.ArticleURLPattern != "" {
		pat = regexp.MustCompile(src.ArticleURLPattern)
	}
	return scraper.Source{
		Name:           src.Name,
		StartURLs:      src.StartURLs,
		FeedURL:        src.FeedURL,
		SitemapURL:     src.SitemapURL,
		MaxArticles:    src.MaxArticles,
		ArticlePattern: pat,
		Rules:          extract.Rules{Content: src.Rules.Content, Remove: src.Rules.Remove},
	}
}

// Policy converts the crawler config into the scraper's fetch policy.
func Policy(c config.Crawler) scraper.Policy {
	return scraper.Policy{
		UserAgent:     c.UserAgent,
		RespectRobots: c.Robots(),
		Parallelism:   c.Parallelism,
		Delay:         c.Delay.D(),
		Timeout:       c.Timeout.D(),
		MaxBody:       c.MaxBody.Int64(),
	}
}
