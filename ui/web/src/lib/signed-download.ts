// A signed report fetched and handed to the browser as a download: the file name the server gives, and
// the SHA-256 it signed (shown beside the download so the user can check the file with `ketwin report verify`).
import { ApiError } from './api.ts';

export interface SignedFile {
  file: string;
  sha256: string;
}

/** Downloads the report at `url` (saved under the server's file name, else `fallbackName`); throws ApiError when refused. */
export async function downloadSigned(url: string, fallbackName: string): Promise<SignedFile> {
  const res = await fetch(url);
  if (!res.ok) throw new ApiError(res.status, ((await res.json().catch(() => ({}))) as { error?: string }).error ?? res.statusText);
  const file = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const blobUrl = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = blobUrl;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  return { sha256: res.headers.get('x-ketwin-report-sha256') ?? '', file };
}
