// Package selectors turns one parsed news page into an archive.Article.
//
// HTML in, archive.Article out: the package does no I/O. Site profiles,
// small YAML files embedded from profiles/*.yaml or added by the user, name
// the selectors that pick a known site's title, body, authors, dates, tags
// and image. Every field a profile leaves empty, and every site without a
// profile, is handled by the generic extractor: metadata from <meta>, JSON-LD
// and microdata, and a body found by scoring candidate blocks on their text
// length, link density, paragraphs and class/id hints.
//
// A profile file holds a list of sites:
//
//	sites:
//	  - name: inforos                 # unique; a later file overrides a profile of the same name
//	    hosts: [inforos.ru]           # matched with their subdomains (www.inforos.ru)
//	    article_urls:                 # regexps on path?query; any match makes IsArticle true
//	      - '^/(?:[a-z]{2}/)?\?module=news&action=view&id=\d+'
//	    title: h1.news-detail__title  # CSS selectors (cascadia), compiled at load
//	    title_suffixes: [' / News / News agency Inforos$']  # regexps removed from titles
//	    body: div.news-detail__text
//	    remove: [.share, .rating]     # boilerplate inside body
//	    authors: .author
//	    published: .news-detail__info .date  # datetime/content attribute, else the text
//	    modified: ''
//	    tags: .news-detail__tags a
//	    image: .news-detail__image img       # src/content attribute
//	    utc_offset: '+03:00'          # zone of dates the page gives without one
//
// Unknown keys, invalid selectors and invalid regexps are load errors that
// name the file, the site and the field.
package selectors
