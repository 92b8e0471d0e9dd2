import { Global, Injectable, Module } from '@nestjs/common';

/**
 * A named place where an add-on plugs into a feature below it (the core declares the point, the
 * add-on fills it; the core never imports the add-on). Nest has no multi-providers, so the points
 * are filled through one registry: an add-on's module calls `Extensions.add` in its constructor
 * (every module is constructed before any `onModuleInit`), and the core reads `all(point)` from
 * `onModuleInit` on. The core runs with none registered.
 */
export class ExtensionPoint<T> {
  /** Never set: only carries the value type of the point. */
  declare readonly type?: T;
  /** `added`: what the declaring feature does with each extension as it is registered (before any onModuleInit), e.g. widen what its decorators documented. */
  constructor(
    readonly name: string,
    readonly added?: (extension: T) => void,
  ) {}
}

@Injectable()
export class Extensions {
  private readonly points = new Map<object, unknown[]>();

  add<T>(point: ExtensionPoint<T>, extension: T): void {
    const list = this.points.get(point) ?? [];
    list.push(extension);
    this.points.set(point, list);
    point.added?.(extension);
  }

  all<T>(point: ExtensionPoint<T>): readonly T[] {
    return (this.points.get(point) ?? []) as T[];
  }
}

/** The registry, once for the whole application. */
@Global()
@Module({ providers: [Extensions], exports: [Extensions] })
export class ExtensionsModule {}
