package feeds_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kabar-news/kabar/feeds"
)

func ExampleRender() {
	f := &feeds.Feed{
		Title:   "Berita Contoh",
		HomeURL: "https://www.contoh.id/",
		SelfURL: "https://kabar.example/feeds/contoh.json",
		Items: []feeds.Item{{
			URL:       "https://www.contoh.id/2026/11/25/banjir",
			Title:     "<b>Banjir</b> &amp; longsor",
			Content:   `<p onclick="x()">Hujan <a href="/tag/banjir">deras</a>.</p><script>alert(1)</script>`,
			Authors:   []string{"Siti"},
			Published: time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC),
		}},
	}
	b, err := feeds.Render(feeds.JSON, f)
	if err != nil {
		fmt.Println(err)
		return
	}
	var pretty bytes.Buffer // Render writes compact JSON
	if err := json.Indent(&pretty, b, "", "  "); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(pretty.String())
	fmt.Println(feeds.Updated(f))
	// Output:
	// {
	//   "version": "https://jsonfeed.org/version/1.1",
	//   "title": "Berita Contoh",
	//   "home_page_url": "https://www.contoh.id/",
	//   "feed_url": "https://kabar.example/feeds/contoh.json",
	//   "description": "Berita Contoh",
	//   "items": [
	//     {
	//       "id": "https://www.contoh.id/2026/11/25/banjir",
	//       "url": "https://www.contoh.id/2026/11/25/banjir",
	//       "title": "Banjir & longsor",
	//       "content_html": "<p>Hujan <a href=\"https://www.contoh.id/tag/banjir\" rel=\"nofollow\">deras</a>.</p>",
	//       "summary": "Hujan deras.",
	//       "date_published": "2026-11-25T08:30:00Z",
	//       "date_modified": "2026-11-25T08:30:00Z",
	//       "authors": [
	//         {
	//           "name": "Siti"
	//         }
	//       ]
	//     }
	//   ]
	// }
	// 2026-11-25 08:30:00 +0000 UTC
}
