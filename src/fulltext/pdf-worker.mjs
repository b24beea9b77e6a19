// The PDF side of full-text extraction, run in a worker thread (src/fulltext/extract.ts
// starts one per PDF and terminates it at the deadline). Plain JavaScript: vitest runs it
// from src/, and the build bundles it with pdf.js into dist/pdf-worker.mjs.
//
// pdf.js (through unpdf's build of it: no canvas, no worker of its own, no native code)
// parses the PDF; this file only checks what pdf.js would take on trust (the page count a
// page tree declares, streams that inflate without end) and posts each page's text items,
// with their positions, to the main thread, where src/fulltext/layout.ts puts them in
// reading order.
import { parentPort, workerData } from 'node:worker_threads';
import { inflateSync } from 'node:zlib';

const { bytes, maxPages, maxInflateBytes } = workerData;

/** An error the main thread shows as it is: `code` says which, `page` where (if known). */
function fail(code, message, page) {
  parentPort.postMessage({ type: 'error', code, message, page });
}

const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * The largest /Count in the file's plain objects: pdf.js counts the pages a tree really
 * has when /Count is absurd, but a tree that declares ten billion is not an arXiv paper.
 * (Objects inside compressed object streams are not seen here; pdf.js's numPages is
 * checked as well.)
 */
function declaredPages() {
  let max = 0;
  for (const m of latin1.matchAll(/\/Count\s+(\d+)/g)) {
    const n = Number(m[1]);
    if (n <= max) continue;
    // Only a /Count of a page tree node: in the same object as /Type /Pages (not an outline's).
    const start = latin1.lastIndexOf(' obj', m.index);
    const end = latin1.indexOf('endobj', m.index);
    const object = latin1.slice(
      Math.max(0, start, m.index - 4096),
      end < 0 ? m.index + 4096 : Math.min(end, m.index + 4096),
    );
    if (/\/Type\s*\/Pages\b/.test(object)) max = n;
  }
  return max;
}

/**
 * Every stream that zlib can inflate, inflated with a ceiling: one that passes it is a zip
 * bomb (a few KB that inflate to gigabytes), refused before pdf.js would inflate it into memory.
 */
function checkStreams() {
  const re = /stream\r?\n/g;
  let m;
  while ((m = re.exec(latin1))) {
    const start = m.index + m[0].length;
    // Only FlateDecode data starts with a zlib header (0x78).
    if (bytes[start] !== 0x78) continue;
    let end = latin1.indexOf('endstream', start);
    if (end < 0) end = bytes.length;
    try {
      inflateSync(bytes.subarray(start, end), { maxOutputLength: maxInflateBytes });
    } catch (err) {
      if (err instanceof RangeError || err?.code === 'ERR_BUFFER_TOO_LARGE') {
        const mib = Math.round(maxInflateBytes / 2 ** 20);
        return `a compressed stream at byte ${start} inflates past ${mib} MiB (a zip bomb?)`;
      }
      // Not zlib after all, or cut short: pdf.js decides what it makes of it.
    }
    re.lastIndex = end;
  }
  return null;
}

async function main() {
  const head = latin1.slice(0, 1024);
  if (!head.includes('%PDF-')) return fail('not-pdf', 'not a PDF (no %PDF- header)');
  const declared = declaredPages();
  if (declared > maxPages) {
    return fail('too-many-pages', `the page tree declares ${declared} pages, more than the ${maxPages} papers reads`);
  }
  const bomb = checkStreams();
  if (bomb) return fail('zip-bomb', bomb);
  const { getDocumentProxy } = await import('unpdf');
  let doc;
  try {
    doc = await getDocumentProxy(bytes, {
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    });
  } catch (err) {
    const name = err?.name ?? '';
    if (name === 'PasswordException') return fail('encrypted', 'the PDF is encrypted with a password');
    if (name === 'InvalidPDFException') return fail('invalid', `not a readable PDF: ${err.message}`);
    return fail('invalid', `cannot open the PDF: ${err?.message ?? err}`);
  }
  const pages = doc.numPages;
  if (!Number.isSafeInteger(pages) || pages < 1) return fail('invalid', 'the PDF has no pages');
  if (pages > maxPages)
    return fail('too-many-pages', `the PDF has ${pages} pages, more than the ${maxPages} papers reads`);
  parentPort.postMessage({ type: 'start', pages });
  for (let n = 1; n <= pages; n++) {
    let page;
    let content;
    try {
      page = await doc.getPage(n);
      content = await page.getTextContent();
    } catch (err) {
      return fail('page', `${err?.message ?? err}`, n);
    }
    const [x0, y0, x1, y1] = page.view;
    const items = [];
    for (const it of content.items) {
      if (typeof it.str !== 'string' || it.str === '') continue;
      const t = it.transform;
      // [a b c d e f]: the text matrix; size from its scale, rotation from b and c.
      const size = Math.hypot(t[2], t[3]) || Math.hypot(t[0], t[1]) || 1;
      items.push({
        s: it.str,
        x: t[4] - x0,
        y: t[5] - y0,
        w: it.width,
        size,
        rot: Math.abs(t[1]) > 1e-3 || Math.abs(t[2]) > 1e-3,
        eol: !!it.hasEOL,
        font: it.fontName,
      });
    }
    parentPort.postMessage({ type: 'page', page: n, width: x1 - x0, height: y1 - y0, items });
    page.cleanup();
  }
  await doc.destroy();
  parentPort.postMessage({ type: 'done' });
}

main().catch((err) => fail('crash', `${err?.message ?? err}`));
