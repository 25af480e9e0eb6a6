package scraper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/kabar-news/kabar/extract"
)

// Errors a crawl reports; test them with errors.Is.
var (
	// ErrSourceFailed: the source failed as a whole (no start URL, feed or
	// sitemap could be read). Crawl's error matches it only then.
	ErrSourceFailed = errors.New("source failed")

	ErrBodyTooLarge     = errors.New("body larger than max_body")
	ErrTruncated        = errors.New("truncated body")
	ErrContentType      = errors.New("unexpected content type")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrOffsiteRedirect  = errors.New("redirect off the source's site")
	ErrRobots           = errors.New("disallowed by robots.txt")
	ErrHostBackedOff    = errors.New("host backed off after repeated failures")
	ErrNotSameArticle   = errors.New("page does not belong to the article")

	errDuplicate = errors.New("already fetched in this crawl")
)

// StatusError is an HTTP status that is not a success.
type StatusError struct{ Code int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("http status %d %s", e.Code, http.StatusText(e.Code))
}

// PageError is the failure of one page; Crawl returns them joined.
type PageError struct {
	URL  string
	Kind string // timeout, network, status, too_large, truncated, content_type, redirect, robots, backoff, parse, extract, emit, state
	Err  error
}

func (e *PageError) Error() string { return fmt.Sprintf("%s: %v", e.URL, e.Err) }
func (e *PageError) Unwrap() error { return e.Err }

// errorKind names the kind of a fetch or processing error for Stats and logs.
func errorKind(err error) string {
	var se *StatusError
	var ne net.Error
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return "too_large"
	case errors.Is(err, ErrTruncated), errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	case errors.Is(err, ErrContentType):
		return "content_type"
	case errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrOffsiteRedirect):
		return "redirect"
	case errors.Is(err, ErrRobots):
		return "robots"
	case errors.Is(err, ErrHostBackedOff):
		return "backoff"
	case errors.As(err, &se):
		return "status"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, extract.ErrNoContent), errors.Is(err, ErrNotSameArticle):
		return "extract"
	default:
		return "network"
	}
}

// retryable reports whether a failed request may succeed when sent again:
// 5xx (but 501), 429, timeouts, resets and connections closed early. Other
// 4xx, size, type and redirect failures never are.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || (se.Code >= 500 && se.Code != http.StatusNotImplemented && se.Code < 600)
	}
	switch {
	case errors.Is(err, ErrBodyTooLarge), errors.Is(err, ErrContentType), errors.Is(err, ErrTooManyRedirects),
		errors.Is(err, ErrOffsiteRedirect), errors.Is(err, ErrRobots), errors.Is(err, ErrHostBackedOff),
		errors.Is(err, errDuplicate), errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, ErrTruncated), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
