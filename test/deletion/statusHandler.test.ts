import { expect } from 'chai';
import express from 'express';
import { createDeletionHandler, createDeletionStatusHandler, createSignedRequest, MemoryDeletionStatusStore, type DeletionStatusStore } from '../../src/deletion/index.js';
import { APP_SECRET, postForm, recordingPurger, send, serveExpress, serveNode, USER, type Started } from './helpers.js';

describe('createDeletionStatusHandler', () => {
  let server: Started | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('should answer the status of a known code with its times, as JSON no cache keeps', async () => {
    const store = new MemoryDeletionStatusStore();
    store.set('0123456789abcdef0123456789abcdef', { status: 'complete', requestedAt: Date.UTC(2026, 0, 2, 3, 4, 5), completedAt: Date.UTC(2026, 0, 2, 3, 4, 6) }, 60_000);
    server = await serveNode(createDeletionStatusHandler({ store }));
    const reply = await send(`${server.url}/status?code=0123456789abcdef0123456789abcdef`, 'GET');
    expect(reply.status).to.equal(200);
    expect(reply.headers['content-type']).to.match(/^application\/json/);
    expect(reply.headers['cache-control']).to.equal('no-store');
    expect(reply.json()).to.deep.equal({
      confirmation_code: '0123456789abcdef0123456789abcdef',
      status: 'complete',
      requestedAt: '2026-01-02T03:04:05.000Z',
      completedAt: '2026-01-02T03:04:06.000Z',
    });
  });

  it('should leave completedAt out while the deletion is pending', async () => {
    const store = new MemoryDeletionStatusStore();
    store.set('abc', { status: 'pending', requestedAt: Date.UTC(2026, 0, 1) }, 60_000);
    server = await serveNode(createDeletionStatusHandler({ store }));
    expect((await send(`${server.url}/?code=abc`, 'GET')).json()).to.deep.equal({ confirmation_code: 'abc', status: 'pending', requestedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('should answer 404 for an unknown code and 400 for a missing or malformed one', async () => {
    server = await serveNode(createDeletionStatusHandler({ store: new MemoryDeletionStatusStore() }));
    expect((await send(`${server.url}/?code=ffffffffffffffffffffffffffffffff`, 'GET')).status).to.equal(404);
    expect((await send(`${server.url}/`, 'GET')).status).to.equal(400);
    expect((await send(`${server.url}/?code=${encodeURIComponent('a b<script>')}`, 'GET')).status).to.equal(400);
    expect((await send(`${server.url}/?code=${'a'.repeat(129)}`, 'GET')).status).to.equal(400);
  });

  it('should answer 405 to a POST, naming GET and HEAD', async () => {
    server = await serveNode(createDeletionStatusHandler({ store: new MemoryDeletionStatusStore() }));
    const reply = await send(`${server.url}/?code=abc`, 'POST');
    expect(reply.status).to.equal(405);
    expect(reply.headers.allow).to.equal('GET, HEAD');
  });

  it('should answer 503 when the store cannot be read', async () => {
    const store: DeletionStatusStore = { get: () => Promise.reject(new Error('redis down')), set: () => undefined };
    server = await serveNode(createDeletionStatusHandler({ store }));
    expect((await send(`${server.url}/?code=abc`, 'GET')).status).to.equal(503);
  });

  it("should show, on Express, the status of the code the deletion handler answered (its default store)", async () => {
    const deletion = createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger(), statusUrl: 'http://unused.example/status' });
    server = await serveExpress({ '/instagram/deletion': deletion, '/instagram/deletion-status': createDeletionStatusHandler({ store: deletion.store }) }, express.urlencoded({ extended: false }));
    const answer = (await postForm(`${server.url}/instagram/deletion`, { signed_request: createSignedRequest({ user_id: USER }, APP_SECRET) })).json();
    const status = await send(`${server.url}/instagram/deletion-status?code=${answer.confirmation_code}`, 'GET');
    expect(status.status).to.equal(200);
    expect(status.json()).to.include({ confirmation_code: answer.confirmation_code, status: 'complete' });
    expect(status.json().completedAt).to.be.a('string');
  });

  it('should follow the URL the deletion handler answered, to a status that says failed when the purge failed', async () => {
    const store = new MemoryDeletionStatusStore();
    let statusUrl = '';
    server = await serveExpress({
      '/deletion': (req, res) => createDeletionHandler({ appSecret: APP_SECRET, profiles: recordingPurger({ failFor: [USER] }), statusUrl, store })(req, res),
      '/deletion-status': createDeletionStatusHandler({ store }),
    });
    statusUrl = `${server.url}/deletion-status`;
    const { url } = (await postForm(`${server.url}/deletion`, { signed_request: createSignedRequest({ user_id: USER }, APP_SECRET) })).json();
    expect(url.startsWith(statusUrl)).to.equal(true);
    expect((await send(url, 'GET')).json()).to.include({ status: 'failed' });
  });

  it('should refuse a store without get and set, naming the option', () => {
    expect(() => createDeletionStatusHandler({ store: {} as never })).to.throw(TypeError, /"store"/);
    expect(() => createDeletionStatusHandler(undefined as never)).to.throw(TypeError);
  });
});
