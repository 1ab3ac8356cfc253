import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

/**
 * A local HTTP server that speaks the parts of the Hugging Face Hub protocol a model pull uses,
 * for fixture repositories made from folders on disk. Tests point HF_ENDPOINT at it; nothing
 * reaches the internet.
 *
 * - `GET /api/models/{repo}/revision/{rev}`: model info with `sha` (the commit a revision names);
 * - `GET /api/models/{repo}/tree/{rev}?recursive=true`: files with size, git oid and, for LFS
 *   files, `lfs.oid` (sha256) and size;
 * - `GET /{repo}/resolve/{rev}/{path}`: small files directly (ETag = git oid); LFS files answer
 *   302 to `/cdn/…` with X-Repo-Commit, X-Linked-Etag and X-Linked-Size, as the Hub does;
 *   Range requests answer 206 with Content-Range;
 * - a gated repo answers 401 unless `Authorization: Bearer <token>` matches;
 * - faults on demand: drop the connection after N bytes of a file, or serve corrupted bytes.
 */

export interface FakeRepo {
  /** Folder whose files are the repo's files. */
  readonly dir: string;
  /** Token a gated repo requires. */
  readonly token?: string;
  /** Branches and tags → commit; default { main: <sha1 of the file list> }. */
  readonly refs?: Record<string, string>;
}

interface RepoFile {
  readonly path: string;
  readonly data: Buffer;
  readonly oid: string;
  readonly sha256?: string;
}

export interface RequestRecord {
  readonly method: string;
  readonly url: string;
  readonly range?: string;
  readonly authorization?: string;
}

/** Files stored with Git LFS on the Hub (what a .gitattributes of a model repo marks). */
const LFS = /\.(onnx|onnx_data|pb|bin|safetensors|data)$/;

function gitOid(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, root) : [relative(root, full).split('\\').join('/')];
  });
}

export class FakeHub {
  readonly requests: RequestRecord[] = [];
  private server?: Server;
  private readonly repos = new Map<string, { files: Map<string, RepoFile>; token?: string; refs: Record<string, string> }>();
  private readonly drops = new Map<string, number>();
  private readonly corrupt = new Set<string>();
  private readonly held = new Map<string, Promise<void>>();

  constructor(repos: Record<string, FakeRepo>) {
    for (const [name, repo] of Object.entries(repos)) {
      const files = new Map<string, RepoFile>();
      for (const path of walk(repo.dir).sort()) {
        const data = readFileSync(join(repo.dir, path));
        files.set(path, { path, data, oid: gitOid(data), sha256: LFS.test(path) ? createHash('sha256').update(data).digest('hex') : undefined });
      }
      const commit = createHash('sha1').update([...files.values()].map((f) => `${f.path}:${f.oid}`).join('\n')).digest('hex');
      this.repos.set(name, { files, token: repo.token, refs: repo.refs ?? { main: commit } });
    }
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('FakeHub is not listening; call start() first.');
    return `http://127.0.0.1:${address.port}`;
  }

  commitOf(repo: string, revision = 'main'): string {
    return this.repos.get(repo)!.refs[revision];
  }

  file(repo: string, path: string): RepoFile {
    return this.repos.get(repo)!.files.get(path)!;
  }

  /** The next transfer of this file sends `afterBytes` bytes of its body, then the connection drops. */
  dropOnce(repo: string, path: string, afterBytes: number): void {
    this.drops.set(`${repo}/${path}`, afterBytes);
  }

  /** Serve this file with one byte changed (the listing keeps the true sha256). */
  corruptFile(repo: string, path: string): void {
    this.corrupt.add(`${repo}/${path}`);
  }

  /**
   * Transfers of this file wait until the returned function is called: a download is then
   * reliably in flight (e.g. to cancel it), however fast the machine.
   */
  hold(repo: string, path: string): () => void {
    let release!: () => void;
    this.held.set(`${repo}/${path}`, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(`${repo}/${path}`);
      release();
    };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push({ method: req.method ?? 'GET', url: url.pathname + url.search, range: req.headers.range, authorization: req.headers.authorization });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    if (parts[0] === 'cdn') return this.sendFile(req, res, `${parts[1]}/${parts[2]}`, parts.slice(3).join('/'), {});
    const api = parts[0] === 'api' && parts[1] === 'models';
    const repoName = api ? `${parts[2]}/${parts[3]}` : `${parts[0]}/${parts[1]}`;
    const repo = this.repos.get(repoName);
    if (!repo) return this.json(res, 404, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      return this.json(res, 401, { error: `Access to model ${repoName} is restricted. You must have access to it and be authenticated to access it.` }, { 'X-Error-Code': 'GatedRepo' });
    }
    const revision = api ? parts[5] : parts[3];
    const commit = repo.refs[revision] ?? (Object.values(repo.refs).includes(revision) ? revision : undefined);
    if (!commit) return this.json(res, 404, { error: `Invalid rev id: ${revision}` }, { 'X-Error-Code': 'RevisionNotFound' });

    if (api && parts[4] === 'revision') {
      return this.json(res, 200, {
        _id: repoName,
        id: repoName,
        sha: commit,
        private: false,
        gated: repo.token ? 'manual' : false,
        downloads: 0,
        likes: 0,
        lastModified: '2026-01-01T00:00:00.000Z',
        siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
      });
    }
    if (api && parts[4] === 'tree') {
      const dirs = new Set<string>();
      for (const path of repo.files.keys()) {
        const segs = path.split('/');
        for (let i = 1; i < segs.length; i++) dirs.add(segs.slice(0, i).join('/'));
      }
      return this.json(res, 200, [
        ...[...dirs].map((path) => ({ type: 'directory', path, size: 0, oid: createHash('sha1').update(path).digest('hex') })),
        ...[...repo.files.values()].map((f) => ({
          type: 'file',
          path: f.path,
          size: f.data.length,
          oid: f.oid,
          ...(f.sha256 ? { lfs: { oid: f.sha256, size: f.data.length, pointerSize: 134 } } : {}),
        })),
      ]);
    }
    if (!api && parts[2] === 'resolve') {
      const path = parts.slice(4).join('/');
      const file = repo.files.get(path);
      const common = { 'X-Repo-Commit': commit };
      if (!file) return this.json(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound', ...common });
      if (file.sha256) {
        res.writeHead(302, {
          Location: `/cdn/${repoName}/${path}`,
          ...common,
          ETag: `"${file.sha256}"`,
          'X-Linked-Etag': `"${file.sha256}"`,
          'X-Linked-Size': String(file.data.length),
        });
        return void res.end();
      }
      return this.sendFile(req, res, repoName, path, { ...common, ETag: `"${file.oid}"` });
    }
    this.json(res, 404, { error: 'Not found' });
  }

  private sendFile(req: IncomingMessage, res: ServerResponse, repoName: string, path: string, headers: Record<string, string>): void {
    const file = this.repos.get(repoName)?.files.get(path);
    if (!file) return this.json(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
    let data = file.data;
    const key = `${repoName}/${path}`;
    if (this.corrupt.has(key)) {
      data = Buffer.from(data);
      data[data.length >> 1] ^= 0xff;
    }
    const etag = file.sha256 ? `"${file.sha256}"` : `"${file.oid}"`;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = data.length - 1;
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      if (start >= data.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` });
        return void res.end();
      }
    }
    const body = data.subarray(start, end + 1);
    res.writeHead(range ? 206 : 200, {
      ...headers,
      ETag: etag,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(body.length),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${data.length}` } : {}),
    });
    const held = this.held.get(key);
    if (held && body.length > 1) {
      void held.then(() => res.end(body));
      return;
    }
    const dropAfter = this.drops.get(key);
    // A 1-byte probe (Range: bytes=0-0) is how the client learns the size; drops hit real transfers.
    if (dropAfter !== undefined && body.length > 1) {
      this.drops.delete(key);
      res.write(body.subarray(0, dropAfter), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }
}
