// Package scraper drives Colly: it discovers a source's article URLs (listing
// pages, feeds, sitemaps), fetches each page once under a polite fetch
// policy, and hands the bytes to extract.
//
// A crawl has two phases. Discovery reads the source's feed (or the feed a
// start page advertises), its sitemaps (indexes, Google News, gzipped;
// newest first) and its listing pages with their pagination, each within a
// budget, with conditional GETs. Selection orders the article URLs found
// (dated ones newest first, then discovery order), drops those the store
// already has, and keeps max_articles of them; workers then fetch and
// extract them, following the pages of multi-page articles.
//
// The fetch policy is set in one place, newCollector: a fresh Colly
// collector per crawl built without COLLY_* environment overrides, one
// shared transport per Scraper (keep-alive, Parallelism+2 connections per
// host), a Colly LimitRule per host (parallelism, delay, jitter, robots.txt
// Crawl-delay), robots.txt per RFC 9309, retries with capped exponential
// backoff honouring Retry-After, a redirect limit with off-site redirects
// dropped, Content-Type checked before a body is read, and max_body enforced
// on decoded bytes as an error. Every URL is claimed by its canonical key
// before it is handed to Colly, so each page is fetched at most once per
// crawl at any parallelism.
package scraper
