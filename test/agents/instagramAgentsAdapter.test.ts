import { expect } from 'chai';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Activity, ActivityEventNames, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import { MessageFactory, TurnContext } from '@microsoft/agents-hosting';
import { InstagramAgentsAdapter, type AgentLogic } from '../../src/agents/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { InstagramProfileError } from '../../src/errors.js';

const SETTINGS = { appSecret: 'agents-app-secret', verifyToken: 'agents-verify', accessToken: 'agents-page-token' };

describe('InstagramAgentsAdapter', function () {
  this.timeout(10_000);

  describe('construction', () => {
    it('should name the adapter when the options are missing', () => {
      expect(() => new InstagramAgentsAdapter(undefined as never)).to.throw(TypeError, /InstagramAgentsAdapter/);
    });

    it('should name a missing option', () => {
      expect(() => new InstagramAgentsAdapter({ ...SETTINGS, appSecret: undefined })).to.throw(TypeError, /appSecret/);
    });
  });

  describe('what Instagram cannot do', () => {
    const adapter = new InstagramAgentsAdapter(SETTINGS);
    const context = new TurnContext(adapter, Activity.fromObject({ type: 'message', channelId: 'instagram', from: { id: '1001' }, recipient: { id: '2002' }, conversation: { id: '1001' } }));
    const calls: Record<string, () => Promise<unknown>> = {
      updateActivity: () => adapter.updateActivity(context, new Activity(ActivityTypes.Message)),
      deleteActivity: () => adapter.deleteActivity(context, {}),
      uploadAttachment: () => adapter.uploadAttachment(context, '1001', { type: 'image/png', name: 'a.png', originalBase64: new Uint8Array(), thumbnailBase64: new Uint8Array() }),
      getAttachmentInfo: () => adapter.getAttachmentInfo(context, 'a1'),
      getAttachment: () => adapter.getAttachment(context, 'a1', 'original'),
    };
    for (const [method, call] of Object.entries(calls)) {
      it(`should reject ${method} with SEND_UNSUPPORTED, naming the method`, async () => {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(InstagramProfileError).and.include({ code: 'SEND_UNSUPPORTED' });
        expect((error as Error).message).to.include(`${method} is not supported`);
      });
    }

    it('should reject context.updateActivity through the SDK the same way', async () => {
      const error = await context.updateActivity({ type: 'message', id: 'm1', text: 'edited' } as Activity).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InstagramProfileError).and.include({ code: 'SEND_UNSUPPORTED' });
    });
  });

  describe('on the emulator', () => {
    let emulator: Emulator;
    let adapter: InstagramAgentsAdapter;
    let server: Server;
    let logic: AgentLogic;
    let url: string;

    beforeEach(async () => {
      emulator = await startEmulator();
      adapter = new InstagramAgentsAdapter({ appSecret: emulator.appSecret, verifyToken: emulator.verifyToken, accessToken: emulator.accessToken, graphUrl: emulator.url });
      logic = async () => {};
      server = createServer(express().all('/webhook', (req, res) => adapter.process(req, res, (context) => logic(context))));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
      emulator.setWebhookUrl(url);
    });

    afterEach(async () => {
      await adapter.drain();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    });

    it("should hand the agent the SDK's own Activity, carrying every id state needs", async () => {
      const seen: Activity[] = [];
      logic = async (context) => void seen.push(context.activity);
      const ada = emulator.persona('follower');
      await ada.sends('hi');
      await adapter.drain();
      const [activity] = seen;
      expect(activity).to.be.instanceOf(Activity);
      expect(activity?.channelIdChannel).to.equal('instagram');
      expect(activity?.getConversationReference()).to.deep.include({ channelId: 'instagram', user: { id: ada.igsid, role: 'user' }, agent: { id: emulator.businessId, role: 'bot' }, conversation: { id: ada.igsid } });
      expect(activity?.text).to.equal('hi');
    });

    it('should run an AgentApplication-like { run(context) } as the agent', async () => {
      const texts: string[] = [];
      server.removeAllListeners('request');
      server.on('request', express().all('/webhook', (req, res) => adapter.process(req, res, { run: async (context: TurnContext) => void texts.push(context.activity.text ?? '') })));
      await emulator.persona('follower').sends('through run');
      await adapter.drain();
      expect(texts).to.deep.equal(['through run']);
    });

    it('should answer 500 and throw a TypeError when process gets no agent', async () => {
      const res = { statusCode: 0, headers: {} as Record<string, string>, setHeader(name: string, value: string) { this.headers[name] = value; }, end() {} };
      const error = await adapter.process({ method: 'POST', headers: {} }, res, undefined as never).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TypeError).with.property('message').that.includes('needs the agent');
      expect(res.statusCode).to.equal(500);
    });

    it('should send text with quick replies, typing, a delay and an image through the Send API', async () => {
      logic = async (context) => {
        await context.sendActivities([
          { type: ActivityTypes.Typing } as Activity,
          { type: 'delay', value: 5 } as Activity,
          MessageFactory.suggestedActions([{ type: 'postBack', title: 'Hours', value: 'HOURS' }], 'Pick one'),
          MessageFactory.contentUrl('https://example.com/a.png', 'image/png'),
        ]);
      };
      const ada = emulator.persona('follower');
      await ada.sends('hi');
      await adapter.drain();
      const sent = emulator.sent(ada.igsid, { includeActions: true });
      expect(sent.map((m) => m.senderAction ?? m.text ?? m.attachment?.type)).to.deep.equal(['typing_on', 'Pick one', 'image']);
      expect(sent[1]?.quickReplies).to.deep.equal([{ title: 'Hours', payload: 'HOURS' }]);
    });

    it('should consult the shared delivery ledger and run nothing another instance received', async () => {
      const ledger = { received: [] as string[], completed: [] as string[] };
      const shared = new InstagramAgentsAdapter({
        appSecret: emulator.appSecret,
        verifyToken: emulator.verifyToken,
        accessToken: emulator.accessToken,
        graphUrl: emulator.url,
        dedupe: {
          store: {
            received: (digest) => (ledger.received.push(digest), ledger.received.length === 1 ? 'first' : 'duplicate'),
            completed: (digest) => void ledger.completed.push(digest),
          },
        },
      });
      adapter = shared;
      const texts: string[] = [];
      logic = async (context) => void texts.push(context.activity.text ?? '');
      const ada = emulator.persona('follower');
      await ada.sends('first');
      await ada.sends('seen elsewhere');
      await shared.drain();
      expect(texts).to.deep.equal(['first']);
      expect(ledger.received).to.have.length(2);
      expect(ledger.completed).to.deep.equal(ledger.received.slice(0, 1));
    });

    describe('continueConversation', () => {
      async function savedReference(): Promise<Partial<ConversationReference>> {
        let reference: Partial<ConversationReference> | undefined;
        logic = async (context) => void (reference = context.activity.getConversationReference());
        await emulator.persona('follower').sends('remember me');
        await adapter.drain();
        return reference!;
      }

      it('should send a proactive message from a saved reference, (reference, logic)', async () => {
        const reference = await savedReference();
        await adapter.continueConversation(reference, async (context) => void (await context.sendActivity('Your order shipped')));
        expect(emulator.sent(emulator.persona('follower').igsid).map((m) => m.text)).to.deep.equal(['Your order shipped']);
      });

      it("should accept the SDK's (agentAppId, reference, logic) signature", async () => {
        const reference = await savedReference();
        let activity: Activity | undefined;
        await adapter.continueConversation('agent-app-id', reference, async (context) => {
          activity = context.activity;
          await context.sendActivity('Still there?');
        });
        expect(activity).to.include({ type: 'event', name: ActivityEventNames.ContinueConversation });
        expect(emulator.sent(emulator.persona('follower').igsid).map((m) => m.text)).to.deep.equal(['Still there?']);
      });

      it('should fill in the channel and Graph URL a bare reference lacks', async () => {
        await savedReference();
        const igsid = emulator.persona('follower').igsid;
        let activity: Activity | undefined;
        await adapter.continueConversation({ conversation: { id: igsid }, user: { id: igsid }, agent: { id: emulator.businessId } } as Partial<ConversationReference>, async (context) => {
          activity = context.activity;
          await context.sendActivity('Hello again');
        });
        expect(activity).to.include({ channelId: 'instagram', serviceUrl: emulator.url });
        expect(emulator.sent(igsid).map((m) => m.text)).to.deep.equal(['Hello again']);
      });

      it("should reject, as Meta does, a proactive message to someone outside the 24 h window", async () => {
        const carl = emulator.persona('commenter');
        const reference = { channelId: 'instagram', conversation: { id: carl.igsid }, user: { id: carl.igsid }, agent: { id: emulator.businessId } } as Partial<ConversationReference>;
        const error = await adapter.continueConversation(reference, async (context) => void (await context.sendActivity('Hi!'))).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InstagramProfileError).and.include({ code: 'PERMISSION_DENIED', subcode: 2018278 });
        expect(carl.received()).to.have.length(0);
      });

      it('should reject when the proactive send fails and onTurnError is the default', async () => {
        const reference = await savedReference();
        emulator.faults.inject({ route: 'send', kind: 'graph-error', graphError: { code: 10, status: 403 } });
        const error = await adapter.continueConversation(reference, async (context) => void (await context.sendActivity('Nope'))).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InstagramProfileError).and.include({ code: 'PERMISSION_DENIED' });
      });

      it('should reject a call without logic with a TypeError', async () => {
        const error = await adapter.continueConversation({ conversation: { id: '1001' } } as Partial<ConversationReference>, undefined as never).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TypeError).with.property('message').that.includes('needs the logic');
      });
    });
  });
});
