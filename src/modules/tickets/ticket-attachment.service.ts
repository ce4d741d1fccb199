import type { Kysely } from 'kysely';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { DialectName } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { JobHandler } from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { DomainError, invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { type AttachmentPolicy, judgeAttachment } from './attachment-policy.js';
import type { AttachmentFiles } from './attachment-files.js';
import * as collab from './ticket-collab.store.js';
import * as mstore from './ticket-mail.store.js';
import type { Caller } from './tickets.service.js';
import * as store from './tickets.store.js';

/**
 * Attachments of tickets: uploaded from the web, or kept from mail. The bytes go to disk first,
 * announced by an intent row committed before the write; the transaction that records the
 * attachment deletes the intent. A failed transaction deletes its file at once, and the sweep
 * deletes the files of intents left by a crash, so no file is referenced that was not committed
 * and none is kept that nothing references.
 */

export const ATTACHMENT_SWEEP_JOB = 'tickets.attachment_sweep';
const SWEEP_AFTER_MS = 3_600_000;
/** An upload no create or reply claimed within a day is deleted with its file. */
const UPLOAD_KEPT_MS = 86_400_000;

export interface UploadView {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  createdAt: number;
}

export interface AttachmentDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  files: AttachmentFiles;
  policy: AttachmentPolicy;
  publish?: (ticketId: string, trx: Kysely<DB>) => Promise<void>;
}

export interface AttachmentView {
  id: string;
  ticketId: string;
  eventId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  visibility: string;
  source: string;
  contentId: string | null;
  uploadedBy: string | null;
  createdAt: number;
  /** Where it downloads (staff and the ticket's requester alike). */
  url: string;
}

export const attachmentUrl = (id: string) => `/api/ticket-attachments/${id}`;

export function presentAttachment(r: mstore.AttachmentRow): AttachmentView {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    eventId: r.event_id,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    visibility: r.visibility,
    source: r.source,
    contentId: r.content_id,
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at,
    url: attachmentUrl(r.id),
  };
}

const isStaff = (c: Pick<Caller, 'roles'>) => c.roles.some((r) => r !== 'requester');

/** A file of a mail, on disk and announced, waiting for the transaction that records it. */
export interface StagedAttachment {
  row: Omit<mstore.AttachmentRow, 'ticket_id' | 'event_id'>;
}

export function createAttachmentService(deps: AttachmentDeps) {
  const { db, clock, files, policy } = deps;

  async function visibleTicket(caller: Caller, ticketId: string) {
    const row = await store.findTicket(db, ticketId);
    if (!row || (!isStaff(caller) && row.requester_id !== caller.userId))
      throw notFound('ticket', ticketId);
    return row;
  }

  /** Writes the bytes under an intent; refuses (and removes) what the policy refuses. */
  async function stage(
    source: Readable,
    meta: { fileName: string | null; declaredType: string | null; field: string },
  ): Promise<{
    id: string;
    key: string;
    fileName: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
  }> {
    const id = newId();
    const now = clock.now();
    const key = files.keyFor(id, now);
    await mstore.insertIntent(db, { id, storage_key: key, created_at: now });
    try {
      const written = await files.write(key, source, policy.maxBytes);
      const judged = judgeAttachment(
        {
          fileName: meta.fileName,
          declaredType: meta.declaredType,
          sizeBytes: written.sizeBytes,
          head: written.head,
        },
        policy,
        meta.field,
      );
      if (!judged.ok) throw invalid(judged.field, judged.key, judged.params);
      return {
        id,
        key,
        fileName: judged.fileName,
        contentType: judged.contentType,
        sizeBytes: written.sizeBytes,
        sha256: written.sha256,
      };
    } catch (err) {
      await files.remove(key);
      await mstore.deleteIntents(db, [id]);
      throw err;
    }
  }

  /** Forgets staged files whose transaction did not happen. */
  async function unstage(staged: readonly { id: string; key: string }[]): Promise<void> {
    for (const s of staged) await files.remove(s.key);
    await mstore.deleteIntents(
      db,
      staged.map((s) => s.id),
    );
  }

  /** An upload to a ticket from the web: a timeline entry of its own. */
  async function upload(
    caller: Caller,
    ticketId: string,
    file: { stream: Readable; fileName: string; mimeType: string } | null,
    visibility: 'public' | 'internal',
  ): Promise<AttachmentView> {
    if (!file) throw invalid('file', 'tickets.attachments.missing');
    // A requester's files are always visible to them; only staff keep internal ones.
    const vis = isStaff(caller) ? visibility : 'public';
    await visibleTicket(caller, ticketId);
    const staged = await stage(file.stream, {
      fileName: file.fileName,
      declaredType: file.mimeType,
      field: 'file',
    });
    const now = clock.now();
    const row: mstore.AttachmentRow = {
      id: staged.id,
      ticket_id: ticketId,
      event_id: null,
      file_name: staged.fileName,
      content_type: staged.contentType,
      size_bytes: staged.sizeBytes,
      sha256: staged.sha256,
      storage_key: staged.key,
      content_id: null,
      visibility: vis,
      source: 'web',
      uploaded_by: caller.userId,
      created_at: now,
    };
    try {
      await db.transaction().execute(async (trx) => {
        const ticket = await store.findTicket(trx, ticketId);
        if (!ticket) throw notFound('ticket', ticketId);
        const eventId = newId();
        row.event_id = eventId;
        await mstore.insertAttachments(trx, [row]);
        await store.insertEvent(trx, {
          id: eventId,
          ticket_id: ticketId,
          at: now,
          kind: 'attachment',
          actor_id: caller.userId,
          actor_role: isStaff(caller) ? 'staff' : 'requester',
          visibility: vis,
          body: null,
          data_json: JSON.stringify({
            attachments: [
              {
                id: row.id,
                fileName: row.file_name,
                contentType: row.content_type,
                sizeBytes: row.size_bytes,
              },
            ],
            author: isStaff(caller) ? 'agent' : 'customer',
          }),
          dedupe_key: null,
        });
        await store.updateTicket(trx, ticketId, { updated_at: now });
        await recordAudit(trx, caller.audit, now, {
          action: 'ticket.attachment.add',
          entityType: 'ticket',
          entityId: ticketId,
          after: presentAttachment(row),
        });
        await mstore.deleteIntents(trx, [row.id]);
        await deps.publish?.(ticketId, trx);
      });
    } catch (err) {
      await unstage([staged]);
      throw err;
    }
    return presentAttachment(row);
  }

  /**
   * A file uploaded before the ticket or reply it belongs to: kept as the caller's until a create
   * or reply names it in `attachmentIds` (which checks owner and that it is not attached yet).
   */
  async function uploadPending(
    caller: Caller,
    file: { stream: Readable; fileName: string; mimeType: string } | null,
  ): Promise<UploadView> {
    if (!file) throw invalid('file', 'tickets.attachments.missing');
    const staged = await stage(file.stream, {
      fileName: file.fileName,
      declaredType: file.mimeType,
      field: 'file',
    });
    const row: collab.UploadRow = {
      id: staged.id,
      file_name: staged.fileName,
      content_type: staged.contentType,
      size_bytes: staged.sizeBytes,
      sha256: staged.sha256,
      storage_key: staged.key,
      uploaded_by: caller.userId,
      created_at: clock.now(),
    };
    const view: UploadView = {
      id: row.id,
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      createdAt: row.created_at,
    };
    try {
      await db.transaction().execute(async (trx) => {
        await collab.insertUpload(trx, row);
        await recordAudit(trx, caller.audit, row.created_at, {
          action: 'ticket.upload',
          entityType: 'ticket_upload',
          entityId: row.id,
          after: view,
        });
        await mstore.deleteIntents(trx, [row.id]);
      });
    } catch (err) {
      await unstage([staged]);
      throw err;
    }
    return view;
  }

  async function list(caller: Caller, ticketId: string): Promise<AttachmentView[]> {
    await visibleTicket(caller, ticketId);
    const staff = isStaff(caller);
    // Staff see the files of tickets merged into this one here too (they stay on their ticket).
    const ids = [
      ticketId,
      ...(staff ? (await collab.mergedInto(db, ticketId)).map((m) => m.ticket_id) : []),
    ];
    const rows: mstore.AttachmentRow[] = [];
    for (const id of ids)
      rows.push(...(await mstore.listAttachments(db, id, { publicOnly: !staff })));
    return rows.map(presentAttachment);
  }

  /** An attachment to download: staff any, a requester only their own tickets' public ones. */
  async function open(caller: Caller, attachmentId: string) {
    const row = await mstore.findAttachment(db, attachmentId);
    if (
      !row ||
      (!isStaff(caller) && (row.requester_id !== caller.userId || row.visibility !== 'public'))
    )
      throw notFound('ticketAttachment', attachmentId);
    // Recorded but gone from disk (a restored database without its files): say so, do not crash.
    if (!(await stat(files.pathOf(row.storage_key)).catch(() => null)))
      throw notFound('ticketAttachment', attachmentId);
    return { attachment: presentAttachment(row), stream: files.read(row.storage_key) };
  }

  /**
   * Stages the files of a mail. Refused ones are named with their reason (the mail is kept
   * anyway); `cleanup` removes the staged files when the ticket transaction fails.
   */
  async function stageMail(
    attachments: readonly {
      fileName: string;
      contentType: string;
      content: Buffer;
      contentId: string | null;
    }[],
  ) {
    const staged: (StagedAttachment & { key: string; id: string })[] = [];
    const refused: { fileName: string; reason: string }[] = [];
    try {
      for (const [i, a] of attachments.entries()) {
        try {
          const s = await stage(Readable.from([a.content]), {
            fileName: a.fileName,
            declaredType: a.contentType,
            field: `attachments.${i}`,
          });
          staged.push({
            id: s.id,
            key: s.key,
            row: {
              id: s.id,
              file_name: s.fileName,
              content_type: s.contentType,
              size_bytes: s.sizeBytes,
              sha256: s.sha256,
              storage_key: s.key,
              content_id: a.contentId,
              visibility: 'public',
              source: 'mail',
              uploaded_by: null,
              created_at: clock.now(),
            },
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          refused.push({ fileName: a.fileName, reason: err.messageKey });
        }
      }
    } catch (err) {
      await unstage(staged);
      throw err;
    }
    return {
      staged,
      refused,
      /** Records the staged files on the ticket's event, in the ticket's transaction. */
      async commit(trx: Kysely<DB>, ticketId: string, eventId: string) {
        await mstore.insertAttachments(
          trx,
          staged.map((s) => ({ ...s.row, ticket_id: ticketId, event_id: eventId })),
        );
        await mstore.deleteIntents(
          trx,
          staged.map((s) => s.id),
        );
      },
      cleanup: () => unstage(staged),
    };
  }

  const sweepJob: JobHandler<unknown> = {
    kind: ATTACHMENT_SWEEP_JOB,
    maxAttempts: 3,
    async run() {
      const stale = await mstore.staleIntents(db, clock.now() - SWEEP_AFTER_MS);
      for (const s of stale) await files.remove(s.storage_key);
      await mstore.deleteIntents(
        db,
        stale.map((s) => s.id),
      );
      // Unclaimed uploads: the row goes first, so a file is never referenced after removal.
      for (const u of await collab.staleUploads(db, clock.now() - UPLOAD_KEPT_MS)) {
        if ((await collab.deleteUploads(db, [u.id])) === 1) await files.remove(u.storage_key);
      }
    },
  };

  return { upload, uploadPending, list, open, stageMail, sweepJob, policy, files };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
