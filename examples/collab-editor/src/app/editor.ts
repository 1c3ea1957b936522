// One open document: CodeMirror 6 bound to the Y.Text "content" by y-codemirror.next, kept in
// sync through the router by the Yjs provider over graphql-ws. The provider's awareness
// carries each person's name, colour and cursor, which y-codemirror.next draws in the others'
// editors.
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { CollabProvider } from '@supergraph/collab-client';
import { basicSetup } from 'codemirror';
import { createClient } from 'graphql-ws';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import { websocketUrl } from './graphql.js';
import type { Session } from './session.js';
import { userColor } from './user-color.js';

/** The root Y.Text that holds the document's text (the protocol's convention). */
const TEXT_NAME = 'content';
/** A close code of the application range that graphql-ws retries (its restart recipe). */
const RESTART_CLOSE_CODE = 4205;

export interface EditorEvents {
  /** Synced with the server (true), or not yet / no longer (false). */
  onSynced(synced: boolean): void;
  onError(message: string): void;
}

export interface OpenDocument {
  view: EditorView;
  provider: CollabProvider;
  destroy(): void;
}

/** The names over remote carets show all the time, not only on hover: who is where is the
 * point of the page. */
const showNames = EditorView.theme({
  '.cm-ySelectionInfo': { opacity: 1 },
  // Room above the first line for the names over its carets.
  '.cm-content': { minHeight: '18rem', paddingTop: '1.2em' },
});

export function openDocument(
  parent: HTMLElement,
  {
    routerUrl,
    session,
    documentId,
    readOnly = false,
    events,
  }: {
    routerUrl: string;
    session: Session;
    documentId: string;
    readOnly?: boolean;
    events: EditorEvents;
  },
): OpenDocument {
  let socket: WebSocket | undefined;
  const client = createClient({
    url: websocketUrl(routerUrl),
    // Asked at every (re)connection, so a reconnection sends a token that is still valid.
    connectionParams: async () => ({ authorization: `Bearer ${await session.token()}` }),
    // An editor left open keeps trying through a router restart or a network drop.
    retryAttempts: Infinity,
    on: {
      connected: (connected) => (socket = connected as WebSocket),
      closed: () => (socket = undefined),
    },
  });
  // A renewed token reaches the router only in a new connection_init: reconnect (graphql-ws's
  // "graceful restart", a close code it retries), and the operations in flight resume on the
  // new socket.
  const stopRenewals = session.onRenewed(() => {
    if (socket?.readyState === WebSocket.OPEN) socket.close(RESTART_CLOSE_CODE, 'Token renewed');
  });
  const doc = new Y.Doc();
  const provider = new CollabProvider({ client, documentId, doc });
  provider.awareness.setLocalStateField('user', {
    name: session.user.email,
    ...userColor(session.user.id),
  });
  provider.on('synced', () => events.onSynced(provider.synced));
  provider.on('status', () => events.onSynced(provider.synced));
  provider.on('error', (error: unknown) =>
    events.onError(error instanceof Error ? error.message : String(error)),
  );

  const ytext = doc.getText(TEXT_NAME);
  const undoManager = new Y.UndoManager(ytext);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        // Undo takes back one's own edits only, not the others'.
        keymap.of(yUndoManagerKeymap),
        basicSetup,
        EditorView.lineWrapping,
        // A viewer's caret still moves (and shows to the others); its text does not change.
        EditorState.readOnly.of(readOnly),
        yCollab(ytext, provider.awareness, { undoManager }),
        showNames,
      ],
    }),
  });
  if (provider.synced) events.onSynced(true);

  return {
    view,
    provider,
    destroy() {
      stopRenewals();
      view.destroy();
      provider.destroy();
      undoManager.destroy();
      doc.destroy();
      void client.dispose();
    },
  };
}
