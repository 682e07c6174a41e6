import { expect } from 'chai';
import { fieldIntroducedIn, fieldsForVersion, isFieldAvailable, isProfileField, LATEST_API_VERSION, parseApiVersion, PROFILE_FIELDS } from '../../src/platform/versions.js';

const V12_FIELDS = ['follower_count', 'is_verified_user', 'is_user_follow_business', 'is_business_follow_user'] as const;

describe('platform/versions', () => {
  it('should know v26.0 as the latest version', () => {
    expect(LATEST_API_VERSION).to.equal('v26.0');
    expect(fieldsForVersion(LATEST_API_VERSION)).to.deep.equal([...PROFILE_FIELDS]);
  });

  describe('parseApiVersion', () => {
    it('should read the major number of vN.M', () => {
      expect([parseApiVersion('v26.0'), parseApiVersion('v2.12'), parseApiVersion('v100.1')]).to.deep.equal([26, 2, 100]);
    });

    for (const bad of ['26.0', 'v26', 'V26.0', 'v26.0.0', ' v26.0', 'v26.0 ', 'v.0', 'v1000.0', 'v26.100', '', 26, null, undefined]) {
      it(`should not read ${JSON.stringify(bad) ?? 'undefined'}`, () => {
        expect(parseApiVersion(bad)).to.equal(undefined);
      });
    }
  });

  describe('field gating', () => {
    it('should have name and profile_pic on every version', () => {
      for (const version of ['v1.0', 'v11.0', 'v26.0']) expect(fieldsForVersion(version)).to.include.members(['name', 'profile_pic']);
      expect(fieldIntroducedIn('name')).to.equal('v1.0');
    });

    for (const field of V12_FIELDS) {
      it(`should have ${field} from v12.0`, () => {
        expect([isFieldAvailable(field, 'v11.9'), isFieldAvailable(field, 'v12.0'), isFieldAvailable(field, 'v26.0')]).to.deep.equal([false, true, true]);
        expect(fieldIntroducedIn(field)).to.equal('v12.0');
      });
    }

    it('should have username from v14.0', () => {
      expect([isFieldAvailable('username', 'v13.0'), isFieldAvailable('username', 'v14.0')]).to.deep.equal([false, true]);
      expect(fieldIntroducedIn('username')).to.equal('v14.0');
    });

    it('should list the fields of a version in a stable order', () => {
      expect(fieldsForVersion('v11.0')).to.deep.equal(['name', 'profile_pic']);
      expect(fieldsForVersion('v13.0')).to.deep.equal(['name', 'profile_pic', ...V12_FIELDS]);
      expect(fieldsForVersion('v14.0')).to.deep.equal(['name', 'username', 'profile_pic', ...V12_FIELDS]);
    });

    it('should have no field on a version it cannot read', () => {
      expect(fieldsForVersion('latest')).to.deep.equal([]);
      expect(isFieldAvailable('name', 'v26')).to.equal(false);
    });
  });

  describe('isProfileField', () => {
    it('should know the seven fields and nothing else, prototype names included', () => {
      for (const field of PROFILE_FIELDS) expect(isProfileField(field)).to.equal(true);
      for (const other of ['email', 'id', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'Name', '', 1, null]) expect(isProfileField(other), String(other)).to.equal(false);
    });
  });
});
