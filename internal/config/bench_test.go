package config

import (
	"bytes"
	"os"
	"testing"

	"go.yaml.in/yaml/v3"
)

// BenchmarkParseShipped measures Parse (decode with positions, defaults,
// full validation) on the shipped config.
func BenchmarkParseShipped(b *testing.B) {
	data, err := os.ReadFile(shippedConfig)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "config.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainYAMLShipped is the baseline: yaml.v3's own strict decode of
// the same file, without positions or validation.
func BenchmarkPlainYAMLShipped(b *testing.B) {
	data, err := os.ReadFile(shippedConfig)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		c := Default()
		if err := dec.Decode(c); err != nil {
			b.Fatal(err)
		}
	}
}
