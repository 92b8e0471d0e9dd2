// Reads a label PDF back the way its users do and prints what it found as JSON:
//   node test/tools/read-label.mjs < label.pdf   →   {"pages": 1, "text": "…", "barcode": {"format": "CODE_128", "text": "sub_12"}}
// The text with pdf.js (through pdf-parse); the barcode by rendering the page to pixels (pdf.js on
// @napi-rs/canvas, at 300 dpi) and decoding that image with ZXing's Code 128 reader — what a scanner
// sees on the printed page, not the value handed to the barcode library. A separate process because
// pdf.js is an ES module whose worker is loaded by a dynamic import, which Jest's module system refuses.
import zxing from '@zxing/library';
import { PDFParse } from 'pdf-parse';
import pngjs from 'pngjs';

const { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } = zxing;
const { PNG } = pngjs;

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
try {
  const text = await parser.getText();
  const shot = await parser.getScreenshot({ scale: 300 / 72, imageDataUrl: false, imageBuffer: true });
  const page = PNG.sync.read(Buffer.from(shot.pages[0].data));
  const grey = new Uint8ClampedArray(page.width * page.height);
  for (let i = 0; i < grey.length; i++) {
    const [r, g, b, a] = page.data.subarray(4 * i, 4 * i + 4);
    // Unpainted (transparent) pixels are the white paper.
    grey[i] = a === 0 ? 255 : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  const hints = new Map([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  let barcode = null;
  try {
    const result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, page.width, page.height))), hints);
    barcode = { format: BarcodeFormat[result.getBarcodeFormat()], text: result.getText() };
  } catch (e) {
    barcode = { format: null, text: null, error: e?.constructor?.name ?? String(e) };
  }
  process.stdout.write(JSON.stringify({ pages: text.total, text: text.text, barcode }));
} finally {
  await parser.destroy();
}
