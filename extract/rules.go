package extract

import (
	"regexp"
	"sync"
)

// This file holds the boilerplate rules as data, grouped by concern. Element
// rules match class/id tokens (a class word "td-post-sharing" gives the
// tokens td, post, sharing); line rules match the whole text of a short block
// inside the main content.

// strongBoilerTokens are class/id tokens of elements that are never article
// prose, whatever else their class says ("related-content", "td-post-sharing").
var strongBoilerTokens = tokenSet(map[string][]string{
	"sharing": {"share", "shares", "sharing", "social", "sosmed", "sharedaddy", "addtoany", "sharethis",
		"shareaholic", "socmed", "sosial", "sharebar"},
	"related": {"related", "terkait", "bacajuga", "lihatjuga", "recommended", "rekomendasi",
		"populer", "popular", "terpopuler", "trending", "yarpp", "outbrain", "taboola", "mgid",
		"linksisip", "relatedposts", "morestories", "readnext", "readalso", "jp-relatedposts"},
	"ads": {"ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "iklan",
		"sponsor", "sponsored", "dfp", "adsbygoogle", "adslot", "adunit", "adsense", "parallax",
		"billboard", "skyscraper", "leaderboard", "promoted", "banner"},
	"navigation": {"breadcrumb", "breadcrumbs", "nav", "navbar", "navigation", "menu", "pagination",
		"pager", "paging", "skiplink", "jumplink"},
	"comments": {"comment", "comments", "komentar", "disqus", "respond", "replies", "discussion"},
	"promos": {"newsletter", "subscribe", "subscription", "signup", "promo", "promotion", "paywall",
		"donate", "donation"},
	"chrome": {"sidebar", "footer", "masthead", "topbar", "cookie", "cookies",
		"consent", "gdpr", "popup", "modal", "overlay", "offcanvas", "lightbox", "survey", "poll",
		"ticker", "copyright"},
})

// boilerSubstrings are boilerplate words found inside run-together class
// names ("fi-cookieconsent", "relatedPosts", "socialShare").
var boilerSubstrings = []string{"cookie", "consent", "sidebar", "breadcrumb", "newsletter", "advert",
	"sharing", "sharebar", "socialshare", "socialmedia", "related", "komentar", "disqus", "outbrain", "taboola",
	"sociable", "saboxplugin", "authorbox", "postmetadata", "appstore", "ratings", "recommend", "nextstory",
	"nextpost", "prevnext", "previousnext", "morearticles", "readmore"}

// weakBoilerTokens are class/id tokens of boilerplate that a content token
// in the same class word overrides, unless they end the word ("entry-meta").
var weakBoilerTokens = tokenSet(map[string][]string{
	"meta": {"tags", "tagcloud", "taglist", "labels", "authorbox", "bio", "avatar", "counter",
		"viewcount", "rating", "reactions", "reaction", "emoji", "bookmark", "byline",
		"dateline", "meta", "postmeta", "kanal", "baca", "rec"},
	"promos": {"follow", "whatsapp", "telegram", "googlenews", "download", "app", "apps", "cta",
		"login", "register", "widget", "widgets"},
	"chrome": {"sticky", "floating", "weather", "disclaimer", "disclosure", "skip", "reply"},
})

// boilerWords are whole class words that are boilerplate.
var boilerWords = map[string]bool{
	"screen-reader-text": true, "sr-only": true, "visually-hidden": true, "visuallyhidden": true,
	"hidden": true, "d-none": true, "invisible": true, "post-navigation": true, "nav-links": true,
	"wp-block-buttons": true, "wp-block-social-links": true, "toc": true, "table-of-contents": true,
	"ez-toc-container": true, "categories": true, "widget_categories": true, "code-block": true,
	"post-ratings": true, "post-navigation-wrapper": true,
}

// articleWords are whole class words of article bodies: an element that has
// one is never removed as boilerplate.
var articleWords = map[string]bool{
	"hentry": true, "type-post": true, "entry-content": true, "post-content": true, "article-body": true,
	"article-content": true, "articlebody": true, "story-body": true, "post-body": true, "article__body": true,
	"article-text": true, "story-content": true, "single-content": true, "td-post-content": true,
	"detail__body-text": true, "read__content": true, "content-inner": true, "post-entry": true,
	"entry": true, "articletext": true, "news-content": true, "detail-content": true, "isi-berita": true,
}

// contentTokens mark class words of the article body; a class word with one
// of them is not boilerplate ("comment-content" excepted: see isBoilerplate).
var contentTokens = tokenSet(map[string][]string{
	"content": {"content", "article", "entry", "body", "story", "text", "main", "post", "isi", "berita",
		"artikel", "detail", "read", "konten", "blog", "single",
		"elementor", "wpb", "vc", "et", "pb", "fl", "field", "paragraph", "container", "inner", "wrapper", "wrap"},
})

// positiveTokens and negativeTokens weigh candidates in the generic scorer.
var (
	positiveTokens = tokenSet(map[string][]string{
		"positive": {"article", "body", "content", "entry", "hentry", "main", "page", "post", "text",
			"blog", "story", "isi", "berita", "artikel", "detail", "konten", "articlebody", "read", "single"},
	})
	negativeTokens = tokenSet(map[string][]string{
		"negative": {"hidden", "banner", "combx", "comment", "comments", "com", "contact", "foot", "footer",
			"footnote", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
			"shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
			"nav", "menu", "terkait", "populer", "popular", "iklan", "ad", "ads", "breadcrumb", "byline", "author"},
	})
)

// captionTokens mark photo captions and credits: kept in HTML as
// <figcaption>, left out of the plain text.
var captionTokens = tokenSet(map[string][]string{
	"caption": {"caption", "captions", "figcaption", "credit", "credits", "keterangan", "wp-caption-text",
		"imgcaption", "photocaption", "fotocaption", "caption-text"},
})

// Line rules, by concern. Each pattern matches the whole text of a block.
var (
	// related links: "Baca juga: ...", "Lihat Juga", "Simak juga Video", "Read also".
	reRelatedLine = lazyRegexp(`(?i)^[\s\-–—•*>»\[(]*(baca|lihat|simak|tonton|cek|saksikan|klik|dengarkan)\s+(juga|pula|selengkapnya|lainnya|berita\s+lainnya|artikel\s+lainnya|video)\b|^[\s\-–—•*>»\[(]*(read|see|watch)\s+(also|more|next|this)\b|^[\s\-–—•*>»\[(]*(also\s+read|related(\s+(news|stories|articles|posts|links))?|recommended|more\s+on\s+this|berita\s+terkait|artikel\s+terkait|topik\s+terkait|baca\s+berikutnya)\s*[:»\-–|]`)
	// related links in other languages kabar meets on the open web
	reRelatedIntl = lazyRegexp(`(?i)^[\s\-–—•*>»\[(]*(lea\s+también|lee\s+también|le\s+puede\s+interesar|te\s+puede\s+interesar|vea\s+también|ver\s+también|lire\s+aussi|à\s+lire\s+aussi|a\s+lire\s+aussi|voir\s+aussi|schon\s+gelesen|mehr\s+zum\s+thema|auch\s+interessant|das\s+könnte\s+sie\s+auch\s+interessieren|lesen\s+sie\s+(auch|mehr)|weiterlesen|leggi\s+anche|potrebbe\s+interessarti|czytaj\s+(także|też|również)|zobacz\s+(też|także)|leia\s+também|veja\s+também|mehr\s+aus\s+dem)\b`)
	// prompts to share, rate or read more, in several languages
	rePromptLine = lazyRegexp(`(?i)^(mit\s+freunden\s+teilen|artikel\s+teilen|beitrag\s+teilen|jetzt\s+teilen|teilen\s*:|be\s+sociable|share\s+this|rezept\s+drucken|print\s+recipe|war\s+(der|dieser)\s+(artikel|beitrag)\s+(nützlich|hilfreich)|wie\s+(bewerten|gefällt)\s+(sie|ihnen|dir)|möchten\s+sie\s+den\s+artikel\s+teilen|gefällt\s+(dir|ihnen)\s+(unser|unsere|dieser|der|das)\b.{0,40}|mehr\s+zu(m|r)?\s+\S.{0,45}|more\s+(on|about)\s+\S.{0,40}|lebih\s+lanjut\s+tentang\s+\S.{0,40}|wir\s+respektieren\s+(deine|ihre)\s+privatsphäre|we\s+respect\s+your\s+privacy|was\s+this\s+(article|post)\s+helpful|rate\s+this|you\s+(might|may)\s+also\s+(like|enjoy)|vous\s+aimerez\s+aussi|mehr\s+interessantes|das\s+könnte\s+dich\s+auch\s+interessieren|zum\s+weiterlesen|weitere\s+artikel|ähnliche\s+(artikel|beiträge)|te\s+recomendamos|artikel\s+lainnya|berita\s+lainnya|populer|terpopuler|terbaru|most\s+(read|popular|viewed)|trending\s+now)\s*[:!?.]?\s*$`)
	// copyright notes and section labels that introduce furniture
	reCopyrightLine = lazyRegexp(`(?i)(©|\(c\)\s*\d{4}|\bcopyright\b|\ball\s+rights\s+reserved\b|\balle\s+rechte\s+vorbehalten\b|\bhak\s+cipta\b|\bcopyrighted\s+property\b|\btous\s+droits\s+réservés\b|\btodos\s+los\s+derechos\b)`)
	reLabelLine     = lazyRegexp(`(?i)^(kontakt|contact|kontak|weitere\s+informationen|mehr\s+informationen|weitere\s+infos|more\s+information|further\s+information|zusatzinformationen|quellen|quellenangaben|źródło|fuente|informasi\s+lebih\s+lanjut|erschienen\s+in|permalink|permalien)\s*:?\s*$|^(themen|topics|schlagworte|schlagwörter|tags|kategorie|kategorien|category|categories|kategori|topik|label|labels|rubrik)\s*:\s*.{0,100}$`)
	// appeals for support and navigation back to lists
	reSupportLine = lazyRegexp(`(?i)^(unterstütze|unterstützen\s+sie|support\s+(us|our|independent)|please\s+support|donate|spenden\s+sie|jetzt\s+spenden|if\s+you\s+(enjoyed|liked|like|value)|dukung\s+kami|zurück\s+zu(r|m)?\b|back\s+to\s+(the\s+)?(list|overview|top|home)|kembali\s+ke\b|(do\s+you\s+)?want\s+to\s+(be|stay)\s+(informed|up\s+to\s+date)|stay\s+up\s+to\s+date|never\s+miss)`)
	// subscription and paywall notes
	reSubscribeLine = lazyRegexp(`(?i)^(subscribe\s+now|subscribe\s+to|to\s+view\s+the\s+full\s+story|jetzt\s+abonnieren|zum\s+newsletter|newsletter\s+abonnieren|hazte\s+miembro|suscríbete|abonnez-vous|inscrivez-vous|sign\s+up\s+for|berlangganan|langganan)`)
	// advertising labels
	reAdLine = lazyRegexp(`(?i)^[\s\-–—_*•·]*(advertisement|advertisment|advertising|adverts?|ads?|iklan|sponsored|sponsored\s+content|scroll\s+to\s+continue(\s+with\s+content)?|scroll\s+untuk\s+melanjutkan(\s+membaca)?|lanjutkan\s+membaca|continue\s+reading(\s+below)?|story\s+continues\s+below(\s+advertisement)?|konten\s+bersponsor|promoted|anzeige|werbung|publicidad|publicité|pubblicità|reklama)[\s\-–—_*•·.]*$`)
	// syndication and source notes, embed placeholders, pagers
	reSourceLine = lazyRegexp(`(?i)^(artikel|berita|tulisan)\s+ini\s+(telah\s+|sudah\s+)?(tayang|terbit|dimuat|tayang\s+di|diterbitkan)|^\[\s*gambas\s*:[^\]]*\]$|^\d+\s+dari\s+\d+\s+halaman$|^halaman\s*:?\s*[\d\s]+(selanjutnya|berikutnya|next)?$|^(selanjutnya|sebelumnya|berikutnya|halaman\s+(selanjutnya|berikutnya|sebelumnya)|next\s+page|previous\s+page|load\s+more)\s*[»›>]*$|^(page|halaman)\s+\d+\s+(of|dari)\s+\d+$`)
	// promos: newsletter, app, WhatsApp/Telegram channels, Google News
	rePromoLine = lazyRegexp(`(?i)(ikuti|follow|gabung|bergabung|join|dapatkan|simak|subscribe|berlangganan|download|unduh|install|klik|cek|pantau)\b.{0,100}\b(whatsapp|telegram|google\s+news|channel|saluran|newsletter|aplikasi|app\s+store|play\s+store|instagram|tiktok|youtube|twitter|facebook|update\s+berita|berita\s+terkini|berita\s+pilihan)`)
	// comment forms and sections
	reCommentLine = lazyRegexp(`(?i)^(leave\s+a\s+(reply|comment)|post\s+a\s+comment|tinggalkan\s+(balasan|komentar)|tulis\s+komentar|beri\s+komentar|please\s+enter\s+your\s+(comment|name|email)|you\s+have\s+entered\s+an\s+incorrect\s+email|save\s+my\s+name|your\s+email\s+address\s+will\s+not\s+be\s+published|alamat\s+email\s+anda\s+tidak\s+akan\s+dipublikasikan|\d*\s*(comments?|komentar|responses?)\s*$|no\s+comments|belum\s+ada\s+komentar|log\s*in\s+to\s+(reply|comment)|cancel\s+reply|batalkan\s+balasan|comments\s+are\s+closed|you\s+(are|must\s+be)\s+(not\s+)?logged\s+in|sie\s+sind\s+(aktuell\s+)?nicht\s+eingeloggt|anda\s+(belum|harus)\s+(login|masuk)|bitte\s+geben\s+sie\s+die\s+zahlenfolge|kommentare\s+(sind\s+)?geschlossen|kommentare?\s+schreiben|this\s+entry\s+was\s+posted|filed\s+under|posted\s+in\s)`)
	// share bars and counters
	reShareLine = lazyRegexp(`(?i)^((share|bagikan|sebarkan)(\s+(this|artikel(\s+ini)?|berita(\s+ini)?|on|ke|via|:))?|follow\s+us|ikuti\s+kami|copy\s+link|salin\s+tautan|tweet|whatsapp|facebook|twitter|telegram|linkedin|pinterest|email|print|cetak|dibaca\s*:?\s*[\d.,]+\s*(kali)?|[\d.,]+\s*(views?|kali\s+dibaca|dilihat|shares?))[\s:|]*$`)
	// bylines: label lines that become author/editor fields
	reBylineLine = lazyRegexp(`(?i)^[\s(]*(penulis|editor|reporter|pewarta|redaktur|kontributor|wartawan|laporan\s+wartawan|laporan|writer|written\s+by|oleh|by|editing\s+by|reporting\s+by|penyunting|fotografer|foto|videografer)\b\s*[:|\-–]?\s*\S`)
	// captions and photo credits
	reCaptionLine = lazyRegexp(`(?i)^[\s(\[]*(foto|fotos|photo|photos|image|gambar|ilustrasi|dok(umentasi)?|credit|kredit|sumber\s+foto|source|getty\s+images|reuters|antara\s+foto|bild|bildquelle|quelle\s*:\s*foto|titelbild|symbolbild)\s*[:/|©]|^(beitragsbild|titelbild|symbolbild|headerbild|bildquelle)\s*$|^(abbildung|abb\.|figure|fig\.|grafik)\s*\d*\s*:|^(quelle|sumber|fuente|source)\s*:\s*\S.{0,60}$|[,(]\s*(photo|foto|bild)\s*:?\s*\)?$`)
	// a photo credit at the end of a caption: "(Foto: X)", "Photo: Getty Images"
	reCreditTail = lazyRegexp(`(?i)[(\[]?\s*(foto|photo|image|credit|dok|sumber)\s*:\s*[^)\]]{1,60}[)\]]?\s*$`)
	// trailing editor initials, "(nds/krs)", "(ant/fay)"
	reTrailInitials = lazyRegexp(`\s*[\[(]\s*[a-zA-Z]{1,5}(\s*/\s*[a-zA-Z*]{1,5})+\s*[\])]\s*$`)
	reOnlyInitials  = lazyRegexp(`^\s*[\[(]?\s*[a-zA-Z]{1,5}(\s*/\s*[a-zA-Z*]{1,5})+\s*[\])]?\s*$`)
	// author labels to strip from names
	reAuthorLabel = lazyRegexp(`(?i)^\s*(penulis|reporter|pewarta|kontributor|wartawan|laporan\s+wartawan(\s+[^:]{0,40}?)?|writer|written\s+by|oleh|by|posted\s+by|diposting\s+oleh|author)\s*[:|\-–]?\s*`)
	reAuthorSplit = lazyRegexp(`(?i)\s*(?:,|;|&|\band\b|\bdan\b|\bund\b)\s*`)
)

// tokenSet flattens grouped token lists into a set.
func tokenSet(groups map[string][]string) map[string]bool {
	set := make(map[string]bool)
	for _, list := range groups {
		for _, t := range list {
			set[t] = true
		}
	}
	return set
}

// lazyRegexp compiles expr on first use, once, so that programs which link
// the package but never extract (kabar version, check, serve start-up) do not
// pay for the tables at init. The compiled value is shared and immutable.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
