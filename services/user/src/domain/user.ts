import type { Role } from '@surge/auth';

export type Preferences = Record<string, string | number | boolean | null>;

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  preferences: Preferences;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

/** What the API shows of a user (docs/api-contract.md: GET /api/users/me). */
export interface Profile {
  id: string;
  email: string;
  name: string;
  role: Role;
  preferences: Preferences;
  createdAt: string;
}

export function toProfile(user: User): Profile {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    preferences: user.preferences,
    createdAt: user.createdAt.toISOString(),
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
