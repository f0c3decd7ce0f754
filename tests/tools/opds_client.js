// An OPDS client reading quire serve's catalog through a client library from npm
// (opds-feed-parser, NYPL's OPDS 1.x parser), as a reading app would: the root, a navigation
// link (By site), a site's acquisition feed, and the EPUB of its first entry, downloaded.
//
// Usage: node opds_client.js ROOT_URL OUT_DIR (NODE_PATH names the node_modules that hold
// opds-feed-parser). Prints one JSON line of what it found; the test checks it. Exits 1 with
// a message when the catalog does not read as OPDS.

"use strict";
const fs = require("fs");
const path = require("path");
const OPDSParser = require("opds-feed-parser").default;

const [rootUrl, outDir] = process.argv.slice(2);
if (!rootUrl || !outDir) {
  console.error("usage: node opds_client.js ROOT_URL OUT_DIR");
  process.exit(2);
}

const parser = new OPDSParser();

async function fetchFeed(url) {
  const answer = await fetch(url);
  if (!answer.ok) throw new Error(`${url}: HTTP ${answer.status}`);
  const type = answer.headers.get("content-type") || "";
  if (!type.includes("profile=opds-catalog")) throw new Error(`${url}: not an OPDS feed: ${type}`);
  return parser.parse(await answer.text());
}

function linkTo(links, rel) {
  const link = links.find((l) => l.rel === rel);
  if (!link) throw new Error(`no link rel=${rel} among ${JSON.stringify(links.map((l) => l.rel))}`);
  return link;
}

async function main() {
  const report = {};
  const root = await fetchFeed(rootUrl);
  report.root = root.constructor.name;
  report.search = linkTo(root.links, "search").type;

  const bySite = root.entries.find((e) => e.title === "By site");
  if (!bySite) throw new Error("the root has no By site entry");
  const sitesUrl = new URL(linkTo(bySite.links, "subsection").href, rootUrl).href;
  const sites = await fetchFeed(sitesUrl);
  report.sites = sites.constructor.name;

  const siteUrl = new URL(linkTo(sites.entries[0].links, "subsection").href, sitesUrl).href;
  const site = await fetchFeed(siteUrl);
  report.site = site.constructor.name;
  report.site_entries = site.entries.length;

  const entry = site.entries[0];
  report.title = entry.title;
  report.language = entry.language;
  const acquisition = entry.links.find(
    (l) => l.constructor.name === "OPDSAcquisitionLink" && l.type === "application/epub+zip"
  );
  if (!acquisition) throw new Error(`${entry.title}: no EPUB acquisition link`);
  const artwork = entry.links.filter((l) => l.constructor.name === "OPDSArtworkLink");
  report.covers = artwork.length;

  const bookUrl = new URL(acquisition.href, siteUrl).href;
  const answer = await fetch(bookUrl);
  if (!answer.ok) throw new Error(`${bookUrl}: HTTP ${answer.status}`);
  const bytes = Buffer.from(await answer.arrayBuffer());
  const book = path.join(outDir, "from-opds-client.epub");
  fs.writeFileSync(book, bytes);
  report.book = book;
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(`opds client: ${error.message}`);
  process.exit(1);
});
