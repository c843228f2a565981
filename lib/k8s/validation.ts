/** Prop checks shared by the Kubernetes constructs: errors name the prop, the value and the allowed range. */
export function checkIntProp(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`'${prop}' (${value}) must be an integer from ${min} to ${max}`);
}

/** A DNS-1035 label (Service and Deployment names). */
export function checkNameProp(prop: string, value: string): void {
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
    throw new Error(`'${prop}' (${JSON.stringify(value)}) must be a DNS label: lowercase letters, digits and '-', starting with a letter, at most 63 characters`);
  }
}
