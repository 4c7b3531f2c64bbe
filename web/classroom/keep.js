// The classes the teacher's page keeps in this browser (IndexedDB), one per assignment (the
// assignment link's hash): every hand-in as received, its grading and the table last shown.
// Nothing leaves the browser. A browser without IndexedDB (or refusing it: a private window
// may) keeps nothing, and the page says so.
//
//   const keep = await openKeep();    null where the browser keeps nothing
//   await keep.put(record)            { key, title, graded, students, submissions, report }
//   await keep.list()                 the records' summaries { key, title, graded, students }, newest first
//   await keep.get(key), keep.remove(key)

const DATABASE = "pynn-classes";
const STORE = "classes";

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB failed"));
  });
}

function summaries(records) {
  return records.map(({ key, title, graded, students }) => ({ key, title, graded, students }))
    .sort((a, b) => (a.graded < b.graded ? 1 : a.graded > b.graded ? -1 : 0));
}

export async function openKeep(indexedDB = globalThis.indexedDB) {
  if (!indexedDB) return null;
  try {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    const db = await done(opening);
    const store = (mode) => db.transaction(STORE, mode).objectStore(STORE);
    return {
      put: (record) => done(store("readwrite").put(record)),
      get: async (key) => (await done(store("readonly").get(key))) ?? null,
      remove: (key) => done(store("readwrite").delete(key)),
      list: async () => summaries(await done(store("readonly").getAll())),
    };
  } catch {
    return null;
  }
}

// The same in memory (node's tests; a page whose browser keeps nothing still works for the visit).
export function memoryKeep() {
  const records = new Map();
  return {
    put: async (record) => { records.set(record.key, structuredClone(record)); },
    get: async (key) => structuredClone(records.get(key) ?? null),
    remove: async (key) => { records.delete(key); },
    list: async () => summaries([...records.values()]),
  };
}
