import { ref } from 'vue';
import { describeError } from '../api/errors';

/**
 * A dialog's main action (Open, Save): one run at a time, and a failure is shown in the
 * dialog, which stays open so the user can correct what they typed.
 */
export function useDialogAction() {
  const busy = ref(false);
  const error = ref<string | null>(null);

  async function run(action: () => Promise<void>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      await action();
    } catch (e) {
      error.value = describeError(e);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
