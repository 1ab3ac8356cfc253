/** What a number field shows and accepts, shared by NumberField and the project-bound ProjectNumberField. */
export interface NumberFieldSettings {
  label: string;
  min: number;
  max: number;
  step?: number;
  unit?: string;
  /** A slider beside the input (not a Tab stop: the input is the keyboard's way in). */
  slider?: boolean;
  hint?: string;
  integer?: boolean;
}
