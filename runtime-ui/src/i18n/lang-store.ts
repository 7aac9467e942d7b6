import { createLangStore } from '@minflow/sdk/lang-store';

/** The interface language, shared by React (useLang) and the API client (Accept-Language). */
export const langStore = createLangStore('minflow.lang');
