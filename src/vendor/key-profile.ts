import type { KeyRecord } from '../records.js';
import { builtInProfile, isBuiltInProfile, validateProfile, type Profile } from './profile.js';

/** Profile objects of keys, checked once per key record (records are replaced, never edited). */
const objects = new WeakMap<KeyRecord, Profile>();

/** How requests made with `key` are answered: its own profile, else the sandbox's. */
export function profileOfKey(key: KeyRecord, fallback: Profile): Profile {
  const named = key.profile;
  if (named === undefined) return fallback;
  if (isBuiltInProfile(named)) return builtInProfile(named);
  if (typeof named === 'string') return fallback;
  let profile = objects.get(key);
  if (!profile) objects.set(key, (profile = validateProfile(named, `the profile of key ${key.name ?? 'without a name'}`)));
  return profile;
}
