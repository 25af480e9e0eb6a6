package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// PingHub tells the WebSub hub that each topic (a feed URL) has new
// content: one publish request (hub.mode=publish, hub.url=topic) per topic,
// the form most hubs accept. Failures are returned joined; the other topics
// are still pinged.
func PingHub(ctx context.Context, client *http.Client, hub string, topics []string) error {
	if hub == "" || len(topics) == 0 {
		return nil
	}
	if client == nil {
		client = http.DefaultClient
	}
	var errs []error
	for _, topic := range topics {
		if err := pingTopic(ctx, client, hub, topic); err != nil {
			errs = append(errs, fmt.Errorf("websub ping %s for %s: %w", hub, topic, err))
		}
	}
	return errors.Join(errs...)
}

func pingTopic(ctx context.Context, client *http.Client, hub, topic string) error {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {topic}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hub, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("hub answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// Topics returns the WebSub topics of the named sources: each source's
// feeds and the merged feed, in every format, as the self links the feeds
// carry (the topics a hub must be pinged with after a crawl added items).
func Topics(baseURL string, sources ...string) []string {
	base := strings.TrimRight(baseURL, "/")
	var out []string
	for _, name := range append(sources, allName) {
		for _, f := range formats {
			out = append(out, base+"/feeds/"+name+"."+string(f))
		}
	}
	return out
}
