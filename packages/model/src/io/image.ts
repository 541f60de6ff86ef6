/** The decoded image every engine sees: upright (EXIF applied), sRGB, 8-bit RGB, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, R G B interleaved. */
  data: Uint8Array;
}

export interface DecodedImage extends RgbImage {
  /** Input container format as the decoder named it (jpeg, png, webp, gif, tiff, heif, ...). */
  format: string;
  /** sha256 (hex) of the upright RGB pixels: the embedding cache key. */
  hash: string;
  /** Alpha channel of the source (width * height), when it had one. */
  alpha?: Uint8Array;
}
