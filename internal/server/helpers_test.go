package server

import (
	"io"
	"log/slog"
	"testing"

	"github.com/kabar-news/kabar/internal/metrics"
)

// slogTo returns a JSON logger writing to w.
func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

// testutilCount sums the values of the counter family name.
func testutilCount(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, mt := range f.GetMetric() {
			sum += mt.GetCounter().GetValue()
		}
	}
	return sum
}
