export interface TextResponse {
  status: number
  headers: Headers
  text: string
}

/** `fetch`, with the body read as text (so a test can both parse it and search it). */
export async function fetchText(url: string, init?: RequestInit): Promise<TextResponse> {
  const response = await fetch(url, init)
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** POSTs `body` as JSON and reads the answer as text. */
export function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<TextResponse> {
  return fetchText(url, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
  })
}
