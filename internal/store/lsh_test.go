package store

import (
	"math"
	"slices"
	"testing"
)

// TestBandTable: every id added under a key is found under it, once, across
// growth; ids beyond 32 bits and shared keys too; an absent key finds
// nothing.
func TestBandTable(t *testing.T) {
	var bt bandTable
	key := func(i int) int64 { return int64(mix(uint64(i) + 1)) }
	want := map[int64][]int64{}
	add := func(k, id int64) {
		bt.add(k, id)
		if !slices.Contains(want[k], id) {
			want[k] = append(want[k], id)
		}
	}
	for i := range 5000 {
		add(key(i), int64(i+1))
	}
	for i := range 100 { // near-copies share keys
		add(key(i), int64(10_000+i))
		add(key(i), int64(10_000+i)) // twice: stored once
		add(key(i), math.MaxUint32+int64(i))
	}
	add(0, 7) // a key whose tag bits are zero
	for k, ids := range want {
		got := bt.lookup(k, nil)
		slices.Sort(got)
		slices.Sort(ids)
		if !slices.Equal(got, ids) {
			t.Fatalf("key %x: got %v, want %v", k, got, ids)
		}
	}
	for i := 5000; i < 5100; i++ {
		if got := bt.lookup(key(i), nil); len(got) != 0 {
			t.Errorf("absent key %d found %v", i, got)
		}
	}
	if got := bt.lookup(key(1), []int64{2}); !slices.Equal(got, []int64{2, 10_001, math.MaxUint32 + 1}) {
		t.Errorf("lookup appends new ids only: got %v", got)
	}
}
