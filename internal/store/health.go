package store

import (
	"context"
	"database/sql"
)

// ShortBody is the text length, in characters, under which a body counts
// as short in Health: a teaser or a failed extraction, not an article.
const ShortBody = 500

// healthWindow is how many of a source's newest articles Health looks at.
const healthWindow = 100

// Health is the extraction health of a source over its newest articles:
// how often the extractor came back with little. The index page shows the
// shares; a high Generic share for a source with configured rules means the
// rules no longer match the site.
type Health struct {
	Source        string
	Articles      int     // articles looked at (at most 100, the newest)
	ShortBody     int     // text under ShortBody characters
	NoDate        int     // no published time
	NoAuthor      int     // no author
	Generic       int     // body found by the generic detector
	AvgConfidence float64 // mean extractor confidence
}

// Share returns n as a fraction of the articles looked at (0 when none).
func (h Health) Share(n int) float64 {
	if h.Articles == 0 {
		return 0
	}
	return float64(n) / float64(h.Articles)
}

// Health returns the extraction health of source.
func (s *Store) Health(ctx context.Context, source string) (Health, error) {
	h := Health{Source: source}
	var avg sql.NullFloat64
	err := s.read.QueryRowContext(ctx, `SELECT count(*),
			coalesce(sum(length(text) < ?2), 0), coalesce(sum(published = ''), 0),
			coalesce(sum(authors_n = 0), 0), coalesce(sum(method = 'generic'), 0), avg(confidence)
		FROM (SELECT text, published, authors_n, method, confidence FROM articles
			WHERE source = ?1 ORDER BY sort_time DESC, id DESC LIMIT ?3)`,
		source, ShortBody, healthWindow).
		Scan(&h.Articles, &h.ShortBody, &h.NoDate, &h.NoAuthor, &h.Generic, &avg)
	if err != nil {
		return Health{}, s.fail("health of "+source, err)
	}
	h.AvgConfidence = avg.Float64
	return h, nil
}
