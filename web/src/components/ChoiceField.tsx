import { useId } from "react";

export interface Choice<V extends string> {
  value: V;
  label: string;
  note: string;
}

interface ChoiceFieldProps<V extends string> {
  legend: string;
  choices: readonly Choice<V>[];
  value: V;
  onChange: (value: V) => void;
  error?: string | undefined;
}

/** Radio cards for a short list of options with a line of explanation each (a role, an API key's access). */
export function ChoiceField<V extends string>({ legend, choices, value, onChange, error }: ChoiceFieldProps<V>) {
  const name = useId();
  return (
    <fieldset className={`pool-picker${error ? " field--invalid" : ""}`}>
      <legend className="field__label">{legend}</legend>
      <div className="choice-list">
        {choices.map((c) => (
          <label key={c.value} className={`pool-option${value === c.value ? " is-selected" : ""}`}>
            <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
            <span className="pool-option__text">
              <span className="pool-option__name">{c.label}</span>
              <span className="pool-option__note">{c.note}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
