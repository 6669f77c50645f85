import express, { Router } from 'express';
import type { Kafka } from 'kafkajs';
import {
  DEAD_LETTERS_LISTED,
  deadLetterReplayRequestSchema,
  type DeadLetterList,
  type DeadLetterReplayResult,
} from '@surge/contracts';
import { AppError, ValidationError } from '@surge/errors';
import type { Logger } from '@surge/logger';
import { listDeadLetters, replayDeadLetters } from './dead-letters';

export interface DeadLetterAdminOptions {
  kafka: Kafka;
  /** The consumer group this service runs: only its dead letters are listed and replayed. */
  groupId: string;
  /** The topics that group consumes. */
  topics: readonly string[];
  logger: Logger;
}

/**
 * `GET /dead-letters` and `POST /dead-letters/replay` for a service's admin listener
 * (packages/contracts dead-letters.ts says what they answer). They belong to the service
 * that owns the consumer: it knows its group and topics, and the operations console reads
 * services' admin endpoints, never Kafka. Every replay is logged with who asked for it.
 */
export function deadLetterAdminRoutes(options: DeadLetterAdminOptions): Router {
  const router = Router();
  const log = options.logger.child({ component: 'dead-letters', groupId: options.groupId });

  router.get('/dead-letters', async (_req, res, next) => {
    try {
      const { letters } = await listDeadLetters(options.kafka, {
        topics: options.topics,
        group: options.groupId,
      });
      const body: DeadLetterList = {
        group: options.groupId,
        topics: options.topics.map((topic) => {
          const mine = letters.filter((letter) => letter.topic === topic);
          const replayed = mine.filter((letter) => letter.replayedAt !== null).length;
          return { topic, pending: mine.length - replayed, replayed };
        }),
        messages: [...letters].sort((a, b) => b.at.localeCompare(a.at)).slice(0, DEAD_LETTERS_LISTED),
      };
      res.json(body);
    } catch (error) {
      next(error);
    }
  });

  router.post('/dead-letters/replay', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const parsed = deadLetterReplayRequestSchema.safeParse(req.body);
      if (!parsed.success)
        throw new ValidationError(
          'a replay needs a topic, who asks, and optionally a position',
          parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        );
      const { topic, position, by } = parsed.data;
      if (!options.topics.includes(topic))
        throw new AppError('NOT_FOUND', `${options.groupId} consumes no topic ${topic}`);
      const outcome = await replayDeadLetters(options.kafka, {
        topic,
        position,
        group: options.groupId,
        by,
      });
      // Who replayed what, in the log every other line of the system is in.
      log.warn(
        {
          by,
          topic,
          position: position ?? 'all',
          replayed: outcome.replayed.map((letter) => ({ position: letter.position, ceId: letter.id })),
          skipped: outcome.skipped,
        },
        'dead letters replayed',
      );
      const body: DeadLetterReplayResult = { replayed: outcome.replayed.length, skipped: outcome.skipped };
      res.json(body);
    } catch (error) {
      next(error);
    }
  });

  return router;
}
