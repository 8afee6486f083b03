import QRCode from 'qrcode'

/**
 * The provisioning URL as an SVG QR code, rendered here so the secret never goes to a third-party
 * QR service. Medium error correction and the standard 4-module quiet zone scan reliably off a
 * screen. The SVG is markup we generate (paths only, no script or external references).
 */
export async function renderQRCodeSVG(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 240 })
}

/** The same as a `data:` URI for an <img>, which the pages' CSP allows (img-src data:). */
export async function renderQRCodeDataURI(text: string): Promise<string> {
  const svg = await renderQRCodeSVG(text)
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}
