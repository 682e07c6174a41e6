// Runs an emulator in its own process, so that a benchmark's client measures only its own CPU.
// Prints one JSON line with its URL and token, then serves until killed.
import { startEmulator } from 'botbuilder-instagram-profile/emulator';
import { realisticProfile } from './lib.js';

// `auto`: no listed personas, every IGSID is a generated one that has messaged (soak tests).
const auto = process.argv[2] === 'auto';
const count = auto ? 0 : Number(process.argv[2] ?? 10_000);
const personas = Array.from({ length: count }, (_, i) => {
  const p = realisticProfile(i);
  return { key: `p${i}`, igsid: p.id, name: p.name, username: p.username, followerCount: p.followerCount, followsBusiness: p.isUserFollowBusiness, hasMessaged: true };
});
const emulator = await startEmulator({ personas, autoPersonas: auto });
emulator.rateLimit.set({ budgetPerHour: 1_000_000_000 });
process.stdout.write(`${JSON.stringify({ url: emulator.url, accessToken: emulator.accessToken, businessId: emulator.businessId, igsids: personas.map((p) => p.igsid) })}\n`);
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
