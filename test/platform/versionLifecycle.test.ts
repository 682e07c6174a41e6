import { expect } from 'chai';
import sinon from 'sinon';
import { apiVersionLifecycle, LATEST_API_VERSION, warnAboutApiVersion } from '../../src/platform/versions.js';

const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);

describe('Graph API version lifecycle', () => {
  afterEach(() => sinon.restore());

  it("should tell live, ending (within 90 days) and ended versions apart by Meta's changelog dates", () => {
    expect(apiVersionLifecycle('v26.0', day('2026-11-25'))).to.deep.equal({ status: 'live', version: 'v26.0' });
    expect(apiVersionLifecycle('v22.0', day('2026-11-25')).status).to.equal('live');
    const ending = apiVersionLifecycle('v21.0', day('2026-11-25'));
    expect(ending).to.include({ status: 'ending', daysLeft: 57 });
    expect(apiVersionLifecycle('v20.0', day('2026-11-25'))).to.deep.include({ status: 'ended', endedAt: new Date('2026-09-24T00:00:00Z') });
    expect(apiVersionLifecycle('v3.2', day('2026-11-25')).status).to.equal('ended');
    expect(apiVersionLifecycle('v99.0', day('2026-11-25')).status).to.equal('live');
  });

  it('should warn once per process with a code, naming the newest version once ended, and never throw', () => {
    const emit = sinon.stub(process, 'emitWarning');
    expect(() => warnAboutApiVersion('v19.0', day('2026-11-25'))).to.not.throw();
    warnAboutApiVersion('v19.0', day('2026-11-25'));
    warnAboutApiVersion('v21.0', day('2026-12-01'));
    warnAboutApiVersion('v26.0', day('2026-12-01'));
    expect(emit.callCount).to.equal(2);
    const [ended, ending] = emit.getCalls().map((call) => ({ message: String(call.args[0]), code: (call.args[1] as { code: string }).code }));
    expect(ended!.code).to.equal('INSTAGRAM_PROFILE_API_VERSION_ENDED');
    expect(ended!.message).to.contain(LATEST_API_VERSION).and.contain('2026-05-21');
    expect(ending!.code).to.equal('INSTAGRAM_PROFILE_API_VERSION_ENDING');
    expect(ending!.message).to.contain('2027-01-21');
  });
});
