// The page: sign in (or sign up), pick a document (create one, or open the one named in the
// address's #hash, so that a second window opens the same), then edit it together; the owner
// can share it with another user by id.
import { documentsApi, type DocumentsApi, type DocumentSummary } from './documents.js';
import { openDocument, type OpenDocument } from './editor.js';
import { signIn, type Session, type SignInMode } from './session.js';

const routerUrl =
  document.querySelector<HTMLMetaElement>('meta[name="router-url"]')?.content ??
  'http://localhost:4000/graphql';

const element = <T extends HTMLElement = HTMLElement>(id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
};

const SECTIONS = ['sign-in', 'picker', 'document'] as const;
type Section = (typeof SECTIONS)[number];

let session: Session | undefined;
let api: DocumentsApi | undefined;
let opened: OpenDocument | undefined;

function setStatus(text: string, isError = false) {
  const status = element('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function show(section: Section) {
  for (const id of SECTIONS) element(id).hidden = id !== section;
}

/** The document id in the address after `#` (ids are UUIDs: nothing to decode). */
const hashDocumentId = () => location.hash.slice(1).trim();

function closeDocument() {
  opened?.destroy();
  opened = undefined;
  element('editor').replaceChildren();
  delete element('document').dataset['synced'];
}

async function showPicker() {
  show('picker');
  const list = element('documents');
  const documents = await api!.list();
  list.replaceChildren(
    ...documents.map((summary) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#${summary.id}`;
      link.textContent = summary.title;
      item.append(link, ` (${summary.role.toLowerCase()})`);
      return item;
    }),
  );
}

function showDocument(summary: DocumentSummary) {
  show('document');
  element('document-title').textContent = summary.title;
  element('document-link').textContent = location.href;
  element('share-form').hidden = summary.role !== 'OWNER';
  const section = element('document');
  section.dataset['synced'] = 'false';
  let everSynced = false;
  setStatus('Connecting…');
  opened = openDocument(element('editor'), {
    routerUrl,
    session: session!,
    documentId: summary.id,
    readOnly: summary.role === 'VIEWER',
    events: {
      onSynced(synced) {
        section.dataset['synced'] = String(synced);
        everSynced ||= synced;
        if (synced) setStatus('Synced: edits go out as you type.');
        else setStatus(everSynced ? 'Reconnecting…' : 'Connecting…');
      },
      onError: (message) => setStatus(message, true),
    },
  });
}

/** Shows what the address names: the document of its #hash, or the picker. */
async function route() {
  closeDocument();
  if (!session) return show('sign-in');
  const id = hashDocumentId();
  try {
    if (!id) return await showPicker();
    const summary = await api!.get(id);
    if (summary) return showDocument(summary);
    setStatus(`No document ${id} here, or it is not shared with you.`, true);
    await showPicker();
  } catch (error) {
    setStatus(messageOf(error), true);
  }
}

element<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const mode = ((event.submitter as HTMLButtonElement | null)?.value ?? 'login') as SignInMode;
  const data = new FormData(form);
  const credentials = { email: String(data.get('email')), password: String(data.get('password')) };
  setStatus(mode === 'login' ? 'Signing in…' : 'Signing up…');
  signIn(routerUrl, mode, credentials).then(
    (signedIn) => {
      session = signedIn;
      api = documentsApi(routerUrl, signedIn);
      element('user-email').textContent = signedIn.user.email;
      element('user-id').textContent = signedIn.user.id;
      element('who').hidden = false;
      form.reset();
      setStatus('');
      void route();
    },
    (error: unknown) => setStatus(messageOf(error), true),
  );
});

element('sign-out').addEventListener('click', () => {
  session?.close();
  session = undefined;
  api = undefined;
  element('who').hidden = true;
  setStatus('');
  void route();
});

element<HTMLFormElement>('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const title = String(new FormData(event.currentTarget as HTMLFormElement).get('title'));
  // The new id in the address opens it (hashchange) and is what the other window opens.
  api!.create(title).then(
    (created) => (location.hash = created.id),
    (error: unknown) => setStatus(messageOf(error), true),
  );
});

element<HTMLFormElement>('open-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = String(new FormData(event.currentTarget as HTMLFormElement).get('id')).trim();
  location.hash = id;
});

element('close-document').addEventListener('click', () => {
  location.hash = '';
});

element<HTMLFormElement>('share-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const userId = String(data.get('userId')).trim();
  const role = String(data.get('role')) as 'EDITOR' | 'VIEWER';
  api!.share(hashDocumentId(), userId, role).then(
    () => {
      form.reset();
      setStatus(`Shared with ${userId} (${role.toLowerCase()}): they can open this address.`);
    },
    (error: unknown) => setStatus(messageOf(error), true),
  );
});

window.addEventListener('hashchange', () => void route());
show('sign-in');
